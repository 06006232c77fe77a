/**
 * ONNX export: the IR `Model` → bytes of a `.onnx` file that onnxruntime loads. Initializers are
 * written as raw_data; weights that came from `Constant` nodes go back as `Constant` nodes at the
 * head of their graph, so the file keeps the structure it was imported with.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { Graph, Initializer, Model } from '../../ir/types';
import { attrToProto } from './attributes';
import { numberToInt64, onnx } from './proto';
import { tensorToProto } from './tensor';
import { tensorInfoToProto } from './value-info';

function constantNode(init: Initializer): OnnxTypes.INodeProto {
	return {
		name: `${init.name}_constant`,
		opType: 'Constant',
		domain: '',
		input: [],
		output: [init.name],
		attribute: [{ name: 'value', type: 4, t: tensorToProto({ ...init, name: '' }) }]
	};
}

/**
 * Converts a graph and its subgraphs.
 * @param listInitializersAsInputs true for IR < 4, which requires every initializer in graph.input.
 */
export function graphToProto(graph: Graph, listInitializersAsInputs = false): OnnxTypes.IGraphProto {
	const sub = (g: Graph) => graphToProto(g, false);
	const weights = Object.values(graph.initializers);
	const initializers = weights.filter((w) => w.origin !== 'constant-node');
	const constants = weights.filter((w) => w.origin === 'constant-node');
	const nodes: OnnxTypes.INodeProto[] = [
		...constants.map(constantNode),
		...graph.nodes.map((node) => ({
			name: node.name,
			opType: node.opType,
			domain: node.domain,
			input: node.inputs,
			output: node.outputs,
			attribute: Object.entries(node.attrs).map(([name, attr]) => attrToProto(name, attr, sub))
		}))
	];
	const initializerInputs = listInitializersAsInputs
		? initializers.map((w) => tensorInfoToProto({ name: w.name, dtype: w.dtype, shape: w.dims }))
		: [];
	return {
		name: graph.name,
		node: nodes,
		initializer: initializers.map(tensorToProto),
		input: [...graph.inputs.map(tensorInfoToProto), ...initializerInputs],
		output: graph.outputs.map(tensorInfoToProto),
		valueInfo: Object.values(graph.valueInfo).map(tensorInfoToProto)
	};
}

/**
 * Serialises a model to ONNX protobuf bytes (opset imports, IR version, metadata, attributes,
 * value_info and subgraphs kept). The result shares no memory with the model.
 */
export function exportOnnx(model: Model): Uint8Array {
	const proto: OnnxTypes.IModelProto = {
		irVersion: numberToInt64(model.irVersion) as number,
		opsetImport: model.opsetImports.map((o) => ({ domain: o.domain, version: numberToInt64(o.version) as number })),
		producerName: model.producerName,
		producerVersion: model.producerVersion,
		graph: graphToProto(model.graph, model.irVersion < 4),
		metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value }))
	};
	if (model.docString) proto.docString = model.docString;
	return onnx.ModelProto.encode(proto).finish();
}
