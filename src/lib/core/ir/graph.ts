/**
 * Pure helpers over a `Graph`: who produces and who consumes each value, topological order, and a
 * structural clone. None of them modifies its argument.
 */
import { elementCount } from './dtype';
import { fromFloat32 as fromFloat32Generic, readFloat32 as readFloat32Generic } from './float-view';
import { float16ArrayToFloat32, float32ArrayToFloat16 } from './half';
import type { AttrValue, DType, Graph, Initializer, Node, WeightOrigin } from './types';

export { dtypeBits, dtypeByteSize, elementCount, tensorByteLength, isDType } from './dtype';

/** Whether typed arrays on this host are little-endian, as ONNX raw tensor bytes are. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A typed view over `bytes` when aligned, else over a copy of them (which is then aligned). */
function viewOf<T>(bytes: Uint8Array, width: number, count: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T {
	if (bytes.byteOffset % width === 0) return make(bytes.buffer, bytes.byteOffset, count);
	return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * width), 0, count);
}

/**
 * Decodes an initializer's elements to float32 (a fresh array, safe to modify). float32 and
 * float16 on little-endian hosts take a typed-array fast path (a view copied once, a table
 * decode); every other case is float-view's element-by-element DataView path, errors included.
 */
export function readFloat32(init: Initializer): Float32Array {
	const count = elementCount(init.dims);
	const { dtype, data } = init;
	if (LITTLE_ENDIAN && dtype === 'float32' && data.byteLength >= count * 4) {
		const view = viewOf(data, 4, count, (b, o, n) => new Float32Array(b, o, n));
		return view.buffer === data.buffer ? view.slice() : view;
	}
	if (LITTLE_ENDIAN && dtype === 'float16' && data.byteLength >= count * 2) {
		return float16ArrayToFloat32(viewOf(data, 2, count, (b, o, n) => new Uint16Array(b, o, n)));
	}
	return readFloat32Generic(init);
}

/**
 * Encodes float32 values as a new initializer (see float-view's `fromFloat32` for the rules).
 * float32, float16, int8 and uint8 take typed-array fast paths with identical results.
 */
export function fromFloat32(values: ArrayLike<number>, dtype: DType, dims: number[], name: string, origin: WeightOrigin): Initializer {
	const count = elementCount(dims);
	if (!LITTLE_ENDIAN || values.length !== count) return fromFloat32Generic(values, dtype, dims, name, origin);
	let data: Uint8Array | undefined;
	if (dtype === 'float32') data = new Uint8Array((values instanceof Float32Array ? values.slice() : Float32Array.from(values)).buffer);
	else if (dtype === 'float16') {
		const floats = values instanceof Float32Array ? values : Float32Array.from(values);
		data = new Uint8Array(float32ArrayToFloat16(floats).buffer);
	} else if (dtype === 'int8' || dtype === 'uint8') data = new Uint8Array(encodeBytes(values, dtype === 'int8').buffer);
	return data ? { name, dtype, dims: [...dims], data, origin } : fromFloat32Generic(values, dtype, dims, name, origin);
}

/** Round half to even, saturate, NaN → 0: float-view's integer encoding, for 8-bit codes. */
function encodeBytes(values: ArrayLike<number>, signed: boolean): Int8Array | Uint8Array {
	const out = signed ? new Int8Array(values.length) : new Uint8Array(values.length);
	const lo = signed ? -128 : 0;
	const hi = signed ? 127 : 255;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (Number.isNaN(v)) continue;
		let r = Math.round(v);
		if (r - v === 0.5 && r % 2 !== 0) r -= 1;
		out[i] = r < lo ? lo : r > hi ? hi : r;
	}
	return out;
}

/** The subgraphs held by a node's attributes (If branches, Loop/Scan bodies), in attribute order. */
export function subgraphsOf(node: Node): Graph[] {
	const graphs: Graph[] = [];
	for (const attr of Object.values(node.attrs)) {
		if (attr.type === 'graph') graphs.push(attr.value);
		else if (attr.type === 'graphs') graphs.push(...attr.value);
	}
	return graphs;
}

/** Names a graph defines itself: its inputs, initializers and node outputs. */
function definedNames(graph: Graph): Set<string> {
	const names = new Set<string>(graph.inputs.map((i) => i.name));
	for (const name of Object.keys(graph.initializers)) names.add(name);
	for (const node of graph.nodes) for (const out of node.outputs) if (out) names.add(out);
	return names;
}

/** Values a graph reads without defining them: those it captures from the enclosing scope. */
export function outerReferences(graph: Graph): string[] {
	const defined = definedNames(graph);
	const used = new Set<string>();
	for (const node of graph.nodes) {
		for (const input of node.inputs) if (input && !defined.has(input)) used.add(input);
		for (const name of implicitInputs(node)) if (!defined.has(name)) used.add(name);
	}
	for (const out of graph.outputs) if (!defined.has(out.name)) used.add(out.name);
	return [...used];
}

/** Outer-scope values that a node's subgraphs read (an If branch using a tensor of the main graph). */
export function implicitInputs(node: Node): string[] {
	const names = new Set<string>();
	for (const sub of subgraphsOf(node)) for (const name of outerReferences(sub)) names.add(name);
	return [...names];
}

/** Value name → index of the node that produces it. Graph inputs and initializers are not listed. */
export function producers(graph: Graph): Map<string, number> {
	const map = new Map<string, number>();
	graph.nodes.forEach((node, index) => {
		for (const out of node.outputs) if (out) map.set(out, index);
	});
	return map;
}

/**
 * Value name → indices (ascending, no repeats) of the nodes that read it, counting values read
 * inside a node's subgraphs as read by that node.
 */
export function consumers(graph: Graph): Map<string, number[]> {
	const map = new Map<string, number[]>();
	graph.nodes.forEach((node, index) => {
		for (const name of new Set([...node.inputs, ...implicitInputs(node)])) {
			if (!name) continue;
			const list = map.get(name);
			if (list) list.push(index);
			else map.set(name, [index]);
		}
	});
	return map;
}

/**
 * Returns a new graph whose nodes are in topological order, keeping the original order wherever
 * dependencies allow (so an already sorted graph comes back unchanged). Values not produced by any
 * node (graph inputs, initializers, outer-scope names) count as available from the start.
 * @throws Error naming a node on a cycle.
 */
export function topoSort(graph: Graph): Graph {
	const producer = producers(graph);
	const pending = graph.nodes.map((node) => {
		const deps = new Set<number>();
		for (const name of [...node.inputs, ...implicitInputs(node)]) {
			const p = name ? producer.get(name) : undefined;
			if (p !== undefined) deps.add(p);
		}
		return deps;
	});
	const dependents: number[][] = graph.nodes.map(() => []);
	pending.forEach((deps, index) => deps.forEach((d) => dependents[d].push(index)));
	const ready: number[] = [];
	pending.forEach((deps, index) => { if (deps.size === 0) ready.push(index); });
	const order: number[] = [];
	while (ready.length) {
		ready.sort((a, b) => a - b);
		const next = ready.shift()!;
		order.push(next);
		for (const d of dependents[next]) {
			pending[d].delete(next);
			if (pending[d].size === 0) ready.push(d);
		}
	}
	if (order.length < graph.nodes.length) {
		const stuck = graph.nodes.findIndex((_, i) => pending[i].size > 0 && !order.includes(i));
		const node = graph.nodes[stuck];
		throw new Error(`Graph '${graph.name}' has a cycle through node '${node.name || node.opType}' (#${stuck}, ${node.opType}).`);
	}
	return { ...graph, nodes: order.map((i) => graph.nodes[i]) };
}

function cloneAttr(attr: AttrValue): AttrValue {
	switch (attr.type) {
		case 'graph': return { type: 'graph', value: cloneGraph(attr.value) };
		case 'graphs': return { type: 'graphs', value: attr.value.map(cloneGraph) };
		case 'floats': case 'ints': case 'strings': return { ...attr, value: [...attr.value] } as AttrValue;
		case 'tensor': return { type: 'tensor', value: cloneInitializer(attr.value) };
		case 'tensors': return { type: 'tensors', value: attr.value.map(cloneInitializer) };
		default: return { ...attr };
	}
}

/** A copy of an initializer's envelope that shares its weight bytes (they are never mutated in place). */
function cloneInitializer(init: Initializer): Initializer {
	return { ...init, dims: [...init.dims], ...(init.strings ? { strings: [...init.strings] } : {}) };
}

/**
 * A structural copy of a graph (nodes, attributes, subgraphs, tensor infos) that shares the weight
 * bytes (`Initializer.data`) with the original, so a transform can edit the copy freely but must
 * replace, not write into, a weight buffer.
 */
export function cloneGraph(graph: Graph): Graph {
	return {
		name: graph.name,
		nodes: graph.nodes.map((node) => ({
			...node,
			inputs: [...node.inputs],
			outputs: [...node.outputs],
			attrs: Object.fromEntries(Object.entries(node.attrs).map(([k, v]) => [k, cloneAttr(v)]))
		})),
		inputs: graph.inputs.map((t) => ({ ...t, shape: t.shape ? [...t.shape] : null })),
		outputs: graph.outputs.map((t) => ({ ...t, shape: t.shape ? [...t.shape] : null })),
		initializers: Object.fromEntries(Object.entries(graph.initializers).map(([k, v]) => [k, cloneInitializer(v)])),
		valueInfo: Object.fromEntries(
			Object.entries(graph.valueInfo).map(([k, t]) => [k, { ...t, shape: t.shape ? [...t.shape] : null }])
		)
	};
}
