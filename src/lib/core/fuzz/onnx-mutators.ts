/**
 * Structural mutators for ONNX: decode the ModelProto, damage the graph the way a buggy exporter or a
 * hostile author would (duplicated and removed nodes, cycles, absurd or negative dims, unknown dtypes,
 * huge attribute values, markup in names), encode it again. They return the input unchanged when it
 * does not decode.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../formats/onnx/proto';
import type { Mutator } from './mutators';
import type { Rng } from './random';

type ModelProto = OnnxTypes.IModelProto;
type NodeProto = OnnxTypes.INodeProto;
type GraphProto = OnnxTypes.IGraphProto;

export const MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
const HUGE_DIMS = [2 ** 40, 2 ** 31, 2 ** 53, 2 ** 62, 0, -1, -(2 ** 31), -7];
const UNKNOWN_DTYPES = [0, 17, 23, 99, 999, -1, 2 ** 31 - 1];

/** Every graph of the model, subgraphs included (depth-first, bounded). */
function graphsOf(graph: GraphProto | null | undefined, out: GraphProto[] = [], depth = 0): GraphProto[] {
	if (!graph || depth > 64) return out;
	out.push(graph);
	for (const node of graph.node ?? []) {
		for (const attr of node.attribute ?? []) {
			graphsOf(attr.g, out, depth + 1);
			for (const g of attr.graphs ?? []) graphsOf(g, out, depth + 1);
		}
	}
	return out;
}

function protoMutator(id: string, change: (model: ModelProto, graph: GraphProto, rng: Rng) => void): Mutator {
	return {
		id,
		kinds: ['onnx'],
		mutate(bytes, rng) {
			let model: ModelProto;
			try {
				model = onnx.ModelProto.decode(bytes);
			} catch {
				return bytes.slice();
			}
			const graphs = graphsOf(model.graph);
			if (!graphs.length) return bytes.slice();
			change(model, rng.chance(0.7) ? graphs[0] : rng.pick(graphs), rng);
			return onnx.ModelProto.encode(model).finish();
		}
	};
}

const nodeOf = (graph: GraphProto, rng: Rng): NodeProto | undefined => (graph.node?.length ? rng.pick(graph.node) : undefined);

function setDims(type: OnnxTypes.ITypeProto | null | undefined, rng: Rng, values: number[]): void {
	const dims = type?.tensorType?.shape?.dim;
	if (!dims?.length) return;
	const d = rng.pick(dims);
	d.dimParam = undefined;
	d.dimValue = rng.pick(values);
}

export const onnxMutators: readonly Mutator[] = [
	protoMutator('onnx-duplicate-node', (_m, graph, rng) => {
		const node = nodeOf(graph, rng);
		if (node) graph.node!.splice(rng.int(graph.node!.length + 1), 0, { ...node, name: rng.chance(0.5) ? node.name : `${node.name}_dup` });
	}),
	protoMutator('onnx-remove-node', (_m, graph, rng) => {
		if (graph.node?.length) graph.node.splice(rng.int(graph.node.length), 1);
	}),
	protoMutator('onnx-cycle', (_m, graph, rng) => {
		const nodes = graph.node ?? [];
		if (!nodes.length) return;
		const i = rng.int(nodes.length);
		const j = i + rng.int(nodes.length - i);
		// Node i now reads a value produced by itself or a later node: a cycle once j reads i's output.
		if (nodes[i].input?.length && nodes[j].output?.length) nodes[i].input![rng.int(nodes[i].input!.length)] = nodes[j].output![0];
		if (rng.chance(0.3)) nodes.reverse();
	}),
	protoMutator('onnx-huge-dims', (_m, graph, rng) => {
		const r = rng.next();
		if (r < 0.4 && graph.input?.length) setDims(rng.pick(graph.input).type, rng, HUGE_DIMS);
		else if (r < 0.6 && graph.valueInfo?.length) setDims(rng.pick(graph.valueInfo).type, rng, HUGE_DIMS);
		else if (graph.initializer?.length) {
			const t = rng.pick(graph.initializer);
			if (t.dims?.length) t.dims[rng.int(t.dims.length)] = rng.pick(HUGE_DIMS);
			else t.dims = [rng.pick(HUGE_DIMS)];
		}
	}),
	protoMutator('onnx-unknown-dtype', (_m, graph, rng) => {
		const r = rng.next();
		if (r < 0.4 && graph.input?.length) {
			const t = rng.pick(graph.input).type?.tensorType;
			if (t) t.elemType = rng.pick(UNKNOWN_DTYPES);
		} else if (graph.initializer?.length) rng.pick(graph.initializer).dataType = rng.pick(UNKNOWN_DTYPES);
	}),
	protoMutator('onnx-huge-attribute', (_m, graph, rng) => {
		const node = nodeOf(graph, rng);
		if (!node) return;
		const attrs = (node.attribute ??= []);
		const attr: OnnxTypes.IAttributeProto = attrs.length && rng.chance(0.7) ? rng.pick(attrs) : { name: rng.pick(['axis', 'kernel_shape', 'pads', 'strides', 'perm', 'group', 'to', 'dilations']), type: 7 };
		if (!attrs.includes(attr)) attrs.push(attr);
		const huge = rng.pick(HUGE_DIMS);
		if (attr.ints?.length || attr.type === 7) attr.ints = rng.chance(0.2) ? Array.from({ length: 100_000 }, () => huge) : (attr.ints?.length ? attr.ints : [0, 0]).map(() => huge);
		else if (attr.floats?.length || attr.type === 6) attr.floats = [rng.pick([NaN, Infinity, -Infinity, 1e308])];
		else if (attr.type === 1) attr.f = rng.pick([NaN, Infinity, -1e308]);
		else attr.i = huge;
	}),
	protoMutator('onnx-opset', (model, _g, rng) => {
		model.opsetImport = [{ domain: '', version: rng.pick([0, 1, 6, 26, 1000, -1, 2 ** 40]) }];
		if (rng.chance(0.3)) model.irVersion = rng.pick([0, -1, 2 ** 40]);
	}),
	protoMutator('onnx-markup-names', (model, graph, rng) => {
		const node = nodeOf(graph, rng);
		if (node) node.name = MARKUP;
		if (node && rng.chance(0.5)) node.opType = MARKUP;
		model.docString = MARKUP;
		model.metadataProps = [{ key: MARKUP, value: MARKUP }, { key: '__proto__', value: MARKUP }, { key: 'constructor', value: MARKUP }];
		if (rng.chance(0.5)) graph.name = MARKUP;
	}),
	protoMutator('onnx-empty-names', (_m, graph, rng) => {
		const node = nodeOf(graph, rng);
		if (!node) return;
		node.name = '';
		if (node.output?.length && rng.chance(0.5)) node.output[0] = rng.pick(['', '__proto__', 'constructor', 'toString']);
		if (graph.output?.length && rng.chance(0.3)) graph.output[0].name = rng.pick(['', '__proto__', 'hasOwnProperty']);
	})
];
