/**
 * Weight sharing (Deep Compression, Han et al. 2016): each weight tensor is clustered to 2^b values
 * by 1-D k-means (linear initialisation between min and max, as the paper found best, then Lloyd
 * iterations). In 1-D the clusters are intervals of the sorted values, so each iteration is k
 * binary searches over prefix sums: one O(n) radix sort, then O(k log n) per iteration.
 * Exact zeros (from pruning) keep a centroid of their own so sparsity survives. The exported model
 * carries the dequantized weights so it runs; `packedBytes` counts codebook + b-bit indices.
 */
import { elementCount, readFloat32 } from '../ir/graph';
import type { Model } from '../ir/types';
import { huffmanBitsOfCounts } from './huffman';
import { sortFloat32 } from './select';
import type { LayerRow, TransformReport, TransformResult } from './types';
import { baseReport, editableCopy, finishReport, sqnrOfSums, weightTensors, withValues } from './util';

export interface ShareOptions {
	/** Index bits per weight, 2..8 (2^bits centroids). */
	bits: number;
	/** Lloyd iterations. Default 20 (stops early when the centroids stop moving). */
	iterations?: number;
	minElements?: number;
}

export interface ShareReport extends TransformReport {
	/** Σ codebook + packed index bytes over shared tensors. */
	packedBytes: number;
	/** Σ codebook + Huffman-coded index bytes (code lengths stored one byte per symbol). */
	huffmanBytes: number;
}

export interface Clustering {
	centroids: Float64Array;
	/** Cluster index of each value, in the input's order. */
	indices: Uint8Array;
}

/** First index in sorted `a` with a[i] ≥ x. */
function lowerBound(a: Float32Array, x: number): number {
	let lo = 0;
	let hi = a.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (a[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/**
 * Working buffers for clustering tensors of up to `size` values: a transform allocates them once
 * for its largest tensor instead of once per tensor (the allocations and the GC they caused were a
 * third of the sharing time on the recognizer).
 */
export class Scratch {
	readonly keys: Int32Array;
	readonly spare: Int32Array;
	readonly prefix: Float64Array;
	readonly nonzero: Float32Array;
	readonly indices: Uint8Array;
	constructor(size: number) {
		this.keys = new Int32Array(size);
		this.spare = new Int32Array(size);
		this.prefix = new Float64Array(size + 1);
		this.nonzero = new Float32Array(size + 1);
		this.indices = new Uint8Array(size);
	}
}

/**
 * 1-D k-means of `values` into at most k clusters. Deterministic (no random init needed). The
 * returned indices are fresh unless a scratch is given, in which case they live in it.
 */
export function kmeans1d(values: Float32Array, k: number, iterations = 20, scratch = new Scratch(values.length)): Clustering {
	const n = values.length;
	const sorted = sortFloat32(values, scratch.keys, scratch.spare);
	const prefix = scratch.prefix;
	// A running sum in a local, not prefix[i] + …: the same additions without a store-to-load
	// round trip in the dependency chain.
	let sum = 0;
	prefix[0] = 0;
	for (let i = 0; i < n; i++) prefix[i + 1] = sum += sorted[i];
	const lo = n ? sorted[0] : 0;
	const hi = n ? sorted[n - 1] : 0;
	let centroids = Float64Array.from({ length: k }, (_, i) => (k === 1 ? (lo + hi) / 2 : lo + ((hi - lo) * i) / (k - 1)));
	const bounds = new Int32Array(k + 1);
	for (let it = 0; it < iterations; it++) {
		bounds[0] = 0;
		bounds[k] = n;
		for (let c = 1; c < k; c++) bounds[c] = lowerBound(sorted, (centroids[c - 1] + centroids[c]) / 2);
		const next = new Float64Array(k);
		let moved = 0;
		for (let c = 0; c < k; c++) {
			const count = bounds[c + 1] - bounds[c];
			next[c] = count > 0 ? (prefix[bounds[c + 1]] - prefix[bounds[c]]) / count : centroids[c];
			moved = Math.max(moved, Math.abs(next[c] - centroids[c]));
		}
		centroids = next;
		if (moved === 0) break;
	}
	const mids = Float32Array.from({ length: k - 1 }, (_, c) => (centroids[c] + centroids[c + 1]) / 2);
	return { centroids, indices: assign(values, mids, lo, hi, scratch.indices.subarray(0, n)) };
}

/**
 * Cluster index of each value: the number of midpoints ≤ it. A per-element binary search
 * mispredicts a branch at every step; instead a table over 4096 equal slices of [lo, hi] gives a
 * starting index, and a short walk (usually no step) over the sorted midpoints makes it exact.
 */
function assign(values: Float32Array, mids: Float32Array, lo: number, hi: number, indices: Uint8Array): Uint8Array {
	const slices = 4096;
	const perUnit = hi > lo ? slices / (hi - lo) : 0;
	const start = new Uint8Array(slices);
	for (let s = 0, a = 0; s < slices; s++) {
		const edge = lo + s / perUnit;
		while (a < mids.length && mids[a] <= edge) a++;
		start[s] = perUnit ? a : 0;
	}
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		let s = ((v - lo) * perUnit) | 0;
		s = s < 0 ? 0 : s >= slices ? slices - 1 : s;
		let a = start[s];
		while (a > 0 && mids[a - 1] > v) a--;
		while (a < mids.length && mids[a] <= v) a++;
		indices[i] = a;
	}
	return indices;
}

/**
 * Clusters a tensor; exact zeros (±0) get their own centroid when there are any. The nonzero
 * values are gathered and the indices spread back without a branch on each value being zero
 * (after pruning that is a coin flip per weight, and a branch on it mispredicts).
 */
export function shareValues(values: Float32Array, bits: number, iterations?: number, scratch = new Scratch(values.length)): Clustering {
	const k = 2 ** bits;
	const n = values.length;
	const words = new Int32Array(values.buffer, values.byteOffset, n);
	let count = 0;
	for (let i = 0; i < n; i++) count += (0 - (words[i] & 0x7fffffff)) >>> 31;
	if (count === n || count === 0) return kmeans1d(values, k, iterations, scratch);
	const nonzero = scratch.nonzero;
	for (let i = 0, j = 0; i < n; i++) {
		nonzero[j] = values[i];
		j += (0 - (words[i] & 0x7fffffff)) >>> 31;
	}
	const inner = kmeans1d(nonzero.subarray(0, count), k - 1, iterations, scratch);
	const centroids = new Float64Array(k);
	centroids.set(inner.centroids, 1);
	// inner.indices lives in scratch.indices[0, count): spread it from the back, so that each read
	// (at j ≤ i) comes before the write at i that could overwrite it.
	const indices = scratch.indices.subarray(0, n);
	for (let i = n - 1, j = count - 1; i >= 0; i--) {
		const nz = (0 - (words[i] & 0x7fffffff)) >>> 31;
		indices[i] = nz * (indices[j < 0 ? 0 : j] + 1);
		j -= nz;
	}
	return { centroids, indices };
}

/** Replaces each weight tensor by its clustered values; reports packed and Huffman-coded sizes. */
export function shareWeights(model: Model, options: ShareOptions): TransformResult<ShareReport> {
	const bits = Math.round(options.bits);
	if (bits < 1 || bits > 8) throw new Error(`Weight sharing needs 1..8 index bits, got ${options.bits}.`);
	const out = editableCopy(model);
	const graph = out.graph;
	const rows: LayerRow[] = [];
	let packedBytes = 0;
	let huffmanBytes = 0;
	const weights = weightTensors(graph, options.minElements ?? 64);
	const scratch = new Scratch(Math.max(0, ...weights.map(({ init }) => elementCount(init.dims))));
	for (const { node, init } of weights) {
		const values = readFloat32(init);
		const { centroids, indices } = shareValues(values, bits, options.iterations, scratch);
		// One pass writes the shared values and gathers the index counts (Huffman) and the SQNR sums.
		const codes = Float32Array.from(centroids);
		const shared = new Float32Array(indices.length);
		const counts = new Uint32Array(centroids.length);
		let signal = 0;
		let noise = 0;
		for (let i = 0; i < indices.length; i++) {
			const c = indices[i];
			const v = values[i];
			const s = codes[c];
			shared[i] = s;
			counts[c]++;
			signal += v * v;
			noise += (v - s) * (v - s);
		}
		graph.initializers[init.name] = withValues(init, shared);
		const codebook = centroids.length * 4;
		const packed = codebook + Math.ceil((values.length * bits) / 8);
		packedBytes += packed;
		huffmanBytes += codebook + centroids.length + Math.ceil(huffmanBitsOfCounts(counts) / 8);
		rows.push({ node: node.name, opType: node.opType, tensor: init.name, elements: values.length, bytesBefore: init.data.byteLength, bytesAfter: init.data.byteLength, packedBytes: packed, sqnrDb: sqnrOfSums(signal, noise) });
	}
	const report = finishReport({ ...baseReport(`share-${bits}bit`, model, out), rows }, model, out);
	report.notes.push('The exported model carries the shared values as float32 so it runs; packedBytes counts codebook + b-bit indices.');
	return { model: out, report: { ...report, packedBytes, huffmanBytes } };
}
