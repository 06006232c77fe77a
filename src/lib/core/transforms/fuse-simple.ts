/**
 * Local rewrites that keep a graph's outputs: a per-channel constant Add after a Conv becomes the
 * Conv's bias; a 2-D MatMul + Add becomes Gemm; Identity nodes and Reshape→Reshape chains go.
 * Each function edits the graph of an `editableCopy` in place and returns report rows.
 */
import { consumers, elementCount, fromFloat32, producers, readFloat32 } from '../ir/graph';
import type { Graph, Initializer, Node, TensorInfo } from '../ir/types';
import type { LayerRow, Skipped } from './types';
import { floatInit, nameAllocator } from './util';

/** Known tensor types by value name (from shape inference, value_info or the graph's inputs). */
export type ShapeTable = Record<string, TensorInfo>;

function otherInput(node: Node, name: string): string {
	return node.inputs[0] === name ? node.inputs[1] : node.inputs[0];
}

/** Channel count when `init` broadcasts as one value per channel of an N,C,… tensor of `rank`, else 0. */
function perChannel(init: Initializer, rank: number, channels: number): boolean {
	const n = elementCount(init.dims);
	if (n === 1) return init.dims.length <= rank;
	if (n !== channels || init.dims.length > rank) return false;
	const at = init.dims.length - (rank - 1);
	return at >= 0 && init.dims[at] === channels;
}

/** Conv → Add(per-channel constant) becomes Conv with that bias. */
export function foldConvAdd(graph: Graph): LayerRow[] {
	const rows: LayerRow[] = [];
	const fresh = nameAllocator(graph);
	const producerOf = producers(graph);
	const readers = consumers(graph);
	const removed = new Set<Node>();
	const graphOutputs = new Set(graph.outputs.map((o) => o.name));
	for (const add of graph.nodes) {
		if (add.opType !== 'Add' || add.inputs.length !== 2) continue;
		for (const side of add.inputs) {
			const p = producerOf.get(side);
			const conv = p === undefined ? undefined : graph.nodes[p];
			if (!conv || conv.opType !== 'Conv' || removed.has(conv)) continue;
			const constant = graph.initializers[otherInput(add, side)];
			const w = floatInit(graph, conv, 1);
			if (!constant || constant.dtype !== 'float32' || !w) continue;
			if ((readers.get(side)?.length ?? 0) !== 1 || graphOutputs.has(side)) continue;
			const channels = w.dims[0];
			if (!perChannel(constant, w.dims.length, channels)) continue;
			if (conv.inputs[2] && !floatInit(graph, conv, 2)) continue;
			const add1 = readFloat32(constant);
			const bias = conv.inputs[2] ? readFloat32(floatInit(graph, conv, 2)!) : new Float32Array(channels);
			for (let c = 0; c < channels; c++) bias[c] += add1[add1.length === 1 ? 0 : c];
			const bName = fresh(`${conv.name || conv.outputs[0]}_bias`);
			graph.initializers[bName] = fromFloat32(bias, 'float32', [channels], bName, 'initializer');
			conv.inputs = [conv.inputs[0], conv.inputs[1], bName];
			delete graph.valueInfo[conv.outputs[0]];
			conv.outputs = [add.outputs[0]];
			removed.add(add);
			rows.push({ node: conv.name, opType: 'Conv', tensor: bName, elements: channels, bytesBefore: constant.data.byteLength, bytesAfter: channels * 4, note: `bias Add ${add.name} folded` });
			break;
		}
	}
	graph.nodes = graph.nodes.filter((n) => !removed.has(n));
	return rows;
}

function rankOf(graph: Graph, shapes: ShapeTable | undefined, name: string): number | undefined {
	const info = shapes?.[name] ?? graph.valueInfo[name] ?? graph.inputs.find((i) => i.name === name);
	return info?.shape ? info.shape.length : undefined;
}

/** MatMul(A 2-D, B constant 2-D) → Add(constant [N] or [1,N]) becomes Gemm. */
export function matMulAddToGemm(graph: Graph, shapes?: ShapeTable): { rows: LayerRow[]; skipped: Skipped[] } {
	const rows: LayerRow[] = [];
	const skipped: Skipped[] = [];
	const producerOf = producers(graph);
	const readers = consumers(graph);
	const removed = new Set<Node>();
	const graphOutputs = new Set(graph.outputs.map((o) => o.name));
	for (const add of graph.nodes) {
		if (add.opType !== 'Add' || add.inputs.length !== 2) continue;
		for (const side of add.inputs) {
			const p = producerOf.get(side);
			const mm = p === undefined ? undefined : graph.nodes[p];
			if (!mm || mm.opType !== 'MatMul' || removed.has(mm)) continue;
			const b = floatInit(graph, mm, 1);
			const c = graph.initializers[otherInput(add, side)];
			if (!b || b.dims.length !== 2 || !c || c.dtype !== 'float32') continue;
			if ((readers.get(side)?.length ?? 0) !== 1 || graphOutputs.has(side)) continue;
			const n = b.dims[1];
			if (!(c.dims.length === 1 && c.dims[0] === n) && !(c.dims.length === 2 && c.dims[0] === 1 && c.dims[1] === n)) continue;
			const rank = rankOf(graph, shapes, mm.inputs[0]);
			if (rank !== 2) {
				skipped.push({ node: mm.name || mm.outputs[0], reason: rank === undefined ? 'MatMul+Add: rank of A unknown (pass shapes)' : `MatMul+Add: A has rank ${rank}, Gemm needs 2` });
				continue;
			}
			mm.opType = 'Gemm';
			mm.inputs = [mm.inputs[0], mm.inputs[1], c.name];
			delete graph.valueInfo[mm.outputs[0]];
			mm.outputs = [add.outputs[0]];
			removed.add(add);
			rows.push({ node: mm.name, opType: 'Gemm', tensor: b.name, elements: elementCount(b.dims), bytesBefore: b.data.byteLength, bytesAfter: b.data.byteLength, note: `MatMul + ${add.name} → Gemm` });
			break;
		}
	}
	graph.nodes = graph.nodes.filter((n) => !removed.has(n));
	return { rows, skipped };
}

/**
 * Removes Identity nodes (readers take the input instead; when the Identity's output is a graph
 * output that its producer can be renamed to give, the producer is renamed) and collapses
 * Reshape(Reshape(x, s1), s2) into Reshape(x, s2) when the inner result has no other reader.
 */
export function removeNoOps(graph: Graph): LayerRow[] {
	const rows: LayerRow[] = [];
	const graphOutputs = new Set(graph.outputs.map((o) => o.name));
	const graphInputs = new Set(graph.inputs.map((o) => o.name));
	const removed = new Set<Node>();
	for (const node of graph.nodes) {
		if (node.opType !== 'Identity' || node.inputs.length !== 1) continue;
		const [src] = node.inputs;
		const [dst] = node.outputs;
		if (graphOutputs.has(dst)) {
			const p = producers(graph).get(src);
			if (p === undefined || graphOutputs.has(src) || graphInputs.has(src)) continue;
			const prod = graph.nodes[p];
			prod.outputs = prod.outputs.map((o) => (o === src ? dst : o));
			for (const n of graph.nodes) if (n !== node) n.inputs = n.inputs.map((i) => (i === src ? dst : i));
		} else {
			for (const n of graph.nodes) if (n !== node) n.inputs = n.inputs.map((i) => (i === dst ? src : i));
		}
		removed.add(node);
		rows.push({ node: node.name, opType: 'Identity', tensor: dst, elements: 0, bytesBefore: 0, bytesAfter: 0, note: 'removed' });
	}
	graph.nodes = graph.nodes.filter((n) => !removed.has(n));
	const producerOf = producers(graph);
	const readers = consumers(graph);
	const gone = new Set<Node>();
	for (const outer of graph.nodes) {
		if (outer.opType !== 'Reshape') continue;
		const p = producerOf.get(outer.inputs[0]);
		const inner = p === undefined ? undefined : graph.nodes[p];
		if (!inner || inner.opType !== 'Reshape' || gone.has(inner)) continue;
		if ((readers.get(inner.outputs[0])?.length ?? 0) !== 1 || graphOutputs.has(inner.outputs[0])) continue;
		const target = graph.initializers[outer.inputs[1]];
		// A 0 in the target copies a dim of the intermediate shape, which the collapse would change.
		if (!target || readFloat32(target).some((v) => v === 0)) continue;
		outer.inputs = [inner.inputs[0], outer.inputs[1]];
		gone.add(inner);
		rows.push({ node: inner.name, opType: 'Reshape', tensor: inner.outputs[0], elements: 0, bytesBefore: 0, bytesAfter: 0, note: `collapsed into ${outer.name}` });
	}
	graph.nodes = graph.nodes.filter((n) => !gone.has(n));
	return rows;
}
