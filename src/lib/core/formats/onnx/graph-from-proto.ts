/**
 * GraphProto → Graph. `Constant` nodes become initializers (origin 'constant-node') at every depth,
 * initializers repeated in graph.input (IR < 4 exporters) are dropped from the inputs, and
 * If/Loop/Scan bodies are converted recursively.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { AttrValue, Graph, Initializer, Node } from '../../ir/types';
import { ModelFormatError } from '../errors';
import { attrFromProto } from './attributes';
import { type Int64, int64ToNumber } from './proto';
import { tensorFromProto } from './tensor';
import { tensorInfoFromProto } from './value-info';

const utf8Decoder = new TextDecoder();

function describe(node: OnnxTypes.INodeProto, index: number): string {
	return `node '${node.name || `#${index}`}' (${node.opType || 'no op type'})`;
}

function isDefaultDomain(domain: string | null | undefined): boolean {
	return !domain || domain === 'ai.onnx';
}

function numbersTensor(name: string, dtype: 'float32' | 'int64', values: number[], scalar: boolean): Initializer {
	const data = new Uint8Array(values.length * (dtype === 'float32' ? 4 : 8));
	const view = new DataView(data.buffer);
	values.forEach((v, i) => (dtype === 'float32' ? view.setFloat32(i * 4, v, true) : view.setBigInt64(i * 8, BigInt(Math.trunc(v)), true)));
	return { name, dtype, dims: scalar ? [] : [values.length], data, origin: 'constant-node' };
}

/** The weight a Constant node holds, named after the node's output. */
function constantToInitializer(node: OnnxTypes.INodeProto, where: string): Initializer {
	const name = node.output?.[0] ?? '';
	const attr = node.attribute?.[0];
	if (!name || !attr || (node.attribute?.length ?? 0) !== 1) {
		throw new ModelFormatError('invalid', `The ONNX file's ${where} must have one output and exactly one value attribute.`);
	}
	const context = `value of ${where}`;
	switch (attr.name) {
		case 'value': return { ...tensorFromProto(attr.t ?? {}, 'constant-node', context), name };
		case 'value_float': return numbersTensor(name, 'float32', [attr.f ?? 0], true);
		case 'value_floats': return numbersTensor(name, 'float32', attr.floats ?? [], false);
		case 'value_int': return numbersTensor(name, 'int64', [int64ToNumber(attr.i as Int64)], true);
		case 'value_ints': return numbersTensor(name, 'int64', (attr.ints ?? []).map((v) => int64ToNumber(v as Int64)), false);
		case 'value_string': {
			return { name, dtype: 'string', dims: [], data: new Uint8Array(0), strings: [utf8Decoder.decode(attr.s ?? new Uint8Array(0))], origin: 'constant-node' };
		}
		case 'value_strings': {
			const strings = (attr.strings ?? []).map((b) => utf8Decoder.decode(b));
			return { name, dtype: 'string', dims: [strings.length], data: new Uint8Array(0), strings, origin: 'constant-node' };
		}
		default:
			throw new ModelFormatError('unsupported', `The ONNX file's ${where} holds a '${attr.name}' value, which Tightfit cannot read yet.`);
	}
}

/**
 * Deepest nesting of subgraphs (If/Loop/Scan bodies) accepted. Real exporters nest a few levels;
 * a file nested thousands deep exists only to exhaust the stack and the time of every recursive walk.
 */
export const MAX_SUBGRAPH_DEPTH = 64;

/**
 * Converts a GraphProto and its subgraphs.
 * @param depth how many subgraph levels enclose this graph (0 for the main graph).
 * @throws ModelFormatError naming the node or tensor that cannot be read, or 'unsupported' for
 * subgraphs nested deeper than MAX_SUBGRAPH_DEPTH.
 */
export function graphFromProto(proto: OnnxTypes.IGraphProto, depth = 0): Graph {
	if (depth > MAX_SUBGRAPH_DEPTH) {
		throw new ModelFormatError('unsupported', `Subgraph '${proto.name ?? ''}' is nested more than ${MAX_SUBGRAPH_DEPTH} levels deep (If/Loop/Scan bodies inside each other), which Tightfit does not read.`);
	}
	const initializers: Record<string, Initializer> = {};
	for (const t of proto.initializer ?? []) {
		initializers[t.name ?? ''] = tensorFromProto(t, 'initializer', `initializer '${t.name}' of graph '${proto.name ?? ''}'`);
	}
	if (proto.sparseInitializer?.length) {
		throw new ModelFormatError('unsupported', `Graph '${proto.name ?? ''}' has sparse initializers, which Tightfit cannot read yet.`);
	}
	const nodes: Node[] = [];
	(proto.node ?? []).forEach((n, index) => {
		const where = describe(n, index);
		if (n.opType === 'Constant' && isDefaultDomain(n.domain)) {
			const init = constantToInitializer(n, where);
			initializers[init.name] = init;
			return;
		}
		const attrs: Record<string, AttrValue> = {};
		for (const a of n.attribute ?? []) attrs[a.name ?? ''] = attrFromProto(a, where, (g) => graphFromProto(g, depth + 1));
		nodes.push({
			name: n.name ?? '',
			opType: n.opType ?? '',
			domain: n.domain ?? '',
			inputs: [...(n.input ?? [])],
			outputs: [...(n.output ?? [])],
			attrs
		});
	});
	const valueInfo: Graph['valueInfo'] = {};
	for (const v of proto.valueInfo ?? []) valueInfo[v.name ?? ''] = tensorInfoFromProto(v);
	return {
		name: proto.name ?? '',
		nodes,
		inputs: (proto.input ?? []).filter((i) => !(i.name && Object.hasOwn(initializers, i.name))).map(tensorInfoFromProto),
		outputs: (proto.output ?? []).map(tensorInfoFromProto),
		initializers,
		valueInfo
	};
}
