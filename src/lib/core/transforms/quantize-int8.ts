/**
 * int8 weight-only quantization: each Conv/ConvTranspose/Gemm/MatMul weight becomes a symmetric
 * int8 initializer read through DequantizeLinear, per tensor or per output channel (the `axis`
 * attribute needs opset 13; the model's opset is raised as needed). Activations stay float.
 */
import { fromFloat32, readFloat32 } from '../ir/graph';
import type { Model, Node } from '../ir/types';
import { upgradeOpset } from './opset';
import { quantizeSymmetric } from './quant-math';
import type { KeepFloat } from './quantize-fp16';
import type { LayerRow, TransformResult } from './types';
import { adoptTensor, baseReport, defaultOpset, editableCopy, finishReport, nameAllocator, outputChannelAxis, weightTensors } from './util';

export interface Int8WeightOptions {
	perChannel?: boolean;
	/** Weights with fewer elements stay float. Default 64. */
	minElements?: number;
	keepFloat?: KeepFloat;
}

/** Whether a weight read by `node` stays float under the keep-float choice. */
export function keptFloat(node: Node, keep: KeepFloat = {}): boolean {
	return (keep.opTypes ?? []).includes(node.opType) || (keep.nodes ?? []).includes(node.name);
}

/** Replaces float weights with int8 + DequantizeLinear. Report rows carry each weight's SQNR. */
export function quantizeInt8Weights(model: Model, options: Int8WeightOptions = {}): TransformResult {
	const perChannel = options.perChannel ?? false;
	const raised = upgradeOpset(model, perChannel ? 13 : Math.max(10, defaultOpset(model)));
	const out = editableCopy(raised);
	const graph = out.graph;
	const fresh = nameAllocator(graph);
	const rows: LayerRow[] = [];
	const skipped = [];
	const dq: Node[] = [];
	for (const { node, init } of weightTensors(graph, options.minElements ?? 64)) {
		const readers = graph.nodes.filter((n) => n.inputs.includes(init.name));
		if (readers.some((n) => keptFloat(n, options.keepFloat))) {
			skipped.push({ node: node.name, reason: 'kept float' });
			continue;
		}
		const axis = perChannel ? outputChannelAxis(node, init) : null;
		const values = readFloat32(init);
		const q = quantizeSymmetric(values, init.dims, axis);
		const qName = fresh(`${init.name}_quantized`);
		const sName = fresh(`${init.name}_scale`);
		const zName = fresh(`${init.name}_zero_point`);
		const scaleDims = axis === null ? [] : [init.dims[axis]];
		graph.initializers[qName] = adoptTensor(q.codes, init.dims, qName, init.origin);
		graph.initializers[sName] = fromFloat32(q.scales, 'float32', scaleDims, sName, 'initializer');
		graph.initializers[zName] = fromFloat32(new Float32Array(q.scales.length), 'int8', scaleDims, zName, 'initializer');
		delete graph.initializers[init.name];
		dq.push({
			name: fresh(`${init.name}_DequantizeLinear`), opType: 'DequantizeLinear', domain: '', inputs: [qName, sName, zName], outputs: [init.name],
			attrs: axis === null ? {} : { axis: { type: 'int', value: axis } }
		});
		const bytesAfter = values.length + q.scales.length * 5;
		rows.push({ node: node.name, opType: node.opType, tensor: init.name, elements: values.length, bytesBefore: init.data.byteLength, bytesAfter, sqnrDb: q.sqnrDb });
	}
	graph.nodes = [...dq, ...graph.nodes];
	const report = finishReport({ ...baseReport(perChannel ? 'int8-weight-per-channel' : 'int8-weight', model, out), rows, skipped }, model, out);
	if (defaultOpset(raised) !== defaultOpset(model)) report.notes.push(`opset raised ${defaultOpset(model)} → ${defaultOpset(raised)}`);
	return { model: out, report };
}
