/**
 * Small editing helpers the transforms share: fresh names, weight lookup, byte totals and a
 * copy-on-write model builder. None modifies its arguments.
 */
import { cloneGraph, consumers, elementCount, fromFloat32 } from '../ir/graph';
import type { DType, Graph, Initializer, Model, Node, WeightOrigin } from '../ir/types';
import type { TransformReport } from './types';

/** Ops whose input 1 is a weight matrix or filter bank. */
export const WEIGHT_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

export const FLOAT_TYPES = new Set<DType>(['float32', 'float16', 'bfloat16', 'float64']);

/** A copy of a model whose graph can be edited freely; weight bytes stay shared with the input. */
export function editableCopy(model: Model): Model {
	return { ...model, graph: cloneGraph(model.graph), opsetImports: model.opsetImports.map((o) => ({ ...o })), metadata: { ...model.metadata } };
}

/** Returns a function producing names not yet used in the graph (`base`, `base_1`, …). */
export function nameAllocator(graph: Graph): (base: string) => string {
	const used = new Set<string>([...graph.inputs.map((t) => t.name), ...graph.outputs.map((t) => t.name), ...Object.keys(graph.initializers)]);
	for (const node of graph.nodes) {
		for (const n of node.outputs) used.add(n);
		for (const n of node.inputs) used.add(n);
		if (node.name) used.add(node.name);
	}
	return (base: string) => {
		let name = base;
		for (let i = 1; used.has(name); i++) name = `${base}_${i}`;
		used.add(name);
		return name;
	};
}

/** Attribute value of a node as a number, or a default. */
export function intAttr(node: Node, name: string, fallback: number): number {
	const a = node.attrs[name];
	return a && (a.type === 'int' || a.type === 'float') ? a.value : fallback;
}

export function floatAttr(node: Node, name: string, fallback: number): number {
	const a = node.attrs[name];
	return a && (a.type === 'float' || a.type === 'int') ? a.value : fallback;
}

export function intsAttr(node: Node, name: string): number[] | undefined {
	const a = node.attrs[name];
	return a && a.type === 'ints' ? a.value : undefined;
}

/** The float initializer a node reads at `index`, if that input is one. */
export function floatInit(graph: Graph, node: Node, index: number): Initializer | undefined {
	const init = graph.initializers[node.inputs[index] ?? ''];
	return init && FLOAT_TYPES.has(init.dtype) ? init : undefined;
}

/**
 * The weight tensors of a graph: float initializers read as input 1 (the filter / matrix) by
 * Conv, ConvTranspose, Gemm or MatMul, each listed once with the first node that reads it.
 */
export function weightTensors(graph: Graph, minElements = 1): { node: Node; init: Initializer }[] {
	const seen = new Set<string>();
	const out: { node: Node; init: Initializer }[] = [];
	for (const node of graph.nodes) {
		if (!WEIGHT_OPS.has(node.opType)) continue;
		const init = floatInit(graph, node, 1);
		if (!init || seen.has(init.name) || elementCount(init.dims) < minElements) continue;
		seen.add(init.name);
		out.push({ node, init });
	}
	return out;
}

/** Axis of a weight tensor that indexes output channels (what per-channel quantization scales along). */
export function outputChannelAxis(node: Node, init: Initializer): number {
	switch (node.opType) {
		case 'Conv': return 0;
		case 'ConvTranspose': return 1;
		case 'Gemm': return intAttr(node, 'transB', 0) ? 0 : 1;
		default: return init.dims.length - 1;
	}
}

/** Sum of initializer bytes. */
export function weightBytes(graph: Graph): number {
	let total = 0;
	for (const init of Object.values(graph.initializers)) total += init.data.byteLength;
	return total;
}

/** Number of elements in float initializers. */
export function paramCount(graph: Graph): number {
	let total = 0;
	for (const init of Object.values(graph.initializers)) if (FLOAT_TYPES.has(init.dtype)) total += elementCount(init.dims);
	return total;
}

/** A report envelope with byte and parameter totals filled in from both models. */
export function baseReport(transform: string, before: Model, after: Model): TransformReport {
	return {
		transform, rows: [], skipped: [], notes: [],
		weightBytesBefore: weightBytes(before.graph), weightBytesAfter: weightBytes(after.graph),
		paramsBefore: paramCount(before.graph), paramsAfter: paramCount(after.graph)
	};
}

/** Refreshes the totals of a report after the output model is final. */
export function finishReport<R extends TransformReport>(report: R, before: Model, after: Model): R {
	return { ...report, ...baseReport(report.transform, before, after), rows: report.rows, skipped: report.skipped, notes: report.notes };
}

/** Whether typed arrays on this host are little-endian, as ONNX raw tensor bytes are. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * An initializer over the bytes of `values` without copying them: the caller hands the array over
 * and must not write it afterwards. Float32Array → float32, Int8Array → int8 (on a big-endian host
 * float32 is encoded through `fromFloat32`).
 */
export function adoptTensor(values: Float32Array | Int8Array, dims: number[], name: string, origin: WeightOrigin): Initializer {
	const dtype = values instanceof Int8Array ? 'int8' : 'float32';
	if (dtype === 'float32' && !LITTLE_ENDIAN) return fromFloat32(values, dtype, dims, name, origin);
	return { name, dtype, dims: [...dims], data: new Uint8Array(values.buffer, values.byteOffset, values.byteLength), origin };
}

/**
 * Replaces an initializer with new float values of the same name and dtype. `values` is handed
 * over (a float32 tensor keeps its buffer without a copy), so pass an array nothing writes later.
 */
export function withValues(init: Initializer, values: Float32Array, dims: number[] = init.dims): Initializer {
	if (init.dtype === 'float32' && values.length === elementCount(dims)) return adoptTensor(values, dims, init.name, init.origin);
	return fromFloat32(values, init.dtype, dims, init.name, init.origin);
}


/** Signal-to-noise ratio of an approximation, in dB (Infinity when exact). */
export function sqnr(reference: ArrayLike<number>, approx: ArrayLike<number>): number {
	let signal = 0;
	let noise = 0;
	for (let i = 0; i < reference.length; i++) {
		signal += reference[i] * reference[i];
		const d = reference[i] - approx[i];
		noise += d * d;
	}
	return sqnrOfSums(signal, noise);
}

/** SQNR in dB from Σ reference² and Σ (reference − approx)², for loops that accumulate them themselves. */
export function sqnrOfSums(signal: number, noise: number): number {
	if (noise === 0) return Infinity;
	if (signal === 0) return -Infinity;
	return 10 * Math.log10(signal / noise);
}

/** Renames every read of `from` (node inputs, graph outputs stay) to `to`. */
export function replaceUses(graph: Graph, from: string, to: string, skipNode?: Node): void {
	for (const node of graph.nodes) {
		if (node === skipNode) continue;
		for (let i = 0; i < node.inputs.length; i++) if (node.inputs[i] === from) node.inputs[i] = to;
	}
}

/** Whether a value is read by no node and is no graph output. */
export function isDead(graph: Graph, name: string): boolean {
	return !graph.outputs.some((o) => o.name === name) && !graph.nodes.some((n) => n.inputs.includes(name));
}

/** Drops initializers no node reads and no graph output names. */
export function pruneUnusedInitializers(graph: Graph): void {
	const used = consumers(graph);
	const outputs = new Set(graph.outputs.map((o) => o.name));
	for (const name of Object.keys(graph.initializers)) if (!used.has(name) && !outputs.has(name)) delete graph.initializers[name];
}

/** Opset version of the default domain. */
export function defaultOpset(model: Model): number {
	return model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 0;
}
