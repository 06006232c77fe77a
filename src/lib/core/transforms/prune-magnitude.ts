/**
 * Unstructured magnitude pruning (the smallest |w| set to zero, at a target sparsity per layer or
 * under one global threshold) and N:M pruning (in every group of M consecutive weights along the
 * reduction axis keep the N largest). Zeros stay stored densely: the file compresses better and a
 * sparse format is smaller (see storage.ts), but RAM and latency do not change on dense kernels.
 */
import { elementCount, readFloat32 } from '../ir/graph';
import type { Model, Node } from '../ir/types';
import { kthSmallestMagnitude } from './select';
import type { LayerRow, TransformResult } from './types';
import { baseReport, editableCopy, finishReport, intAttr, weightTensors, withValues } from './util';

export interface PruneOptions {
	/** Target fraction of zeros, 0..1. */
	sparsity: number;
	/** 'layer': each weight reaches the sparsity; 'global': one |w| threshold over all weights. */
	scope?: 'layer' | 'global';
	/** Weights with fewer elements are left dense. Default 64. */
	minElements?: number;
}

/*
 * The loops below work on the float bits through Int32Array views: |x|'s bits (sign cleared) order
 * like |x|, so comparisons become integer arithmetic without branches. Pruning's keep/zero pattern
 * is random, and a data-dependent branch there mispredicts on half the elements (≈ 10× slower in
 * V8 than these loops; a Uint32Array view is ≈ 3× slower too, its words above 2^31 being doubles).
 */

/** −1 where `a` < `b`, else 0, for a, b in [0, 2^31) (the sign of a − b, no branch). */
const belowMask = (a: number, b: number) => (a - b) >> 31;

/** The bits of a float32 value as an int32. */
const bitsOf = (x: number) => new Int32Array(new Float32Array([x]).buffer)[0];

/** Zeros the `count` smallest-magnitude values (ties broken by position), in place. */
function zeroSmallest(values: Float32Array, count: number): void {
	if (count <= 0) return;
	const threshold = kthSmallestMagnitude(values, count - 1);
	if (Number.isNaN(threshold)) return;
	const t = bitsOf(threshold);
	const words = new Int32Array(values.buffer, values.byteOffset, values.length);
	// Every |v| < threshold goes (fewer than `count` of them, threshold being the count-th smallest)…
	let left = count;
	for (let i = 0; i < words.length; i++) {
		const w = words[i];
		const drop = belowMask(w & 0x7fffffff, t);
		words[i] = w & ~drop;
		left += drop;
	}
	// …then the first non-zero values equal to it, by position, until `count` are zero (t = 0: none).
	for (let i = 0; t !== 0 && i < words.length && left > 0; i++) if ((words[i] & 0x7fffffff) === t) { words[i] = 0; left--; }
}

/** Zeros every value with |v| ≤ threshold, in place. */
function zeroUpTo(values: Float32Array, threshold: number): void {
	if (Number.isNaN(threshold)) return;
	const t = bitsOf(threshold);
	const words = new Int32Array(values.buffer, values.byteOffset, values.length);
	for (let i = 0; i < words.length; i++) {
		const w = words[i];
		words[i] = w & ~belowMask(w & 0x7fffffff, t + 1);
	}
}

/** Number of zeros (±0) in `values`. */
function zeros(values: Float32Array): number {
	const words = new Int32Array(values.buffer, values.byteOffset, values.length);
	let n = 0;
	for (let i = 0; i < words.length; i++) n -= belowMask(words[i] & 0x7fffffff, 1);
	return n;
}

/** Magnitude pruning of every Conv/ConvTranspose/Gemm/MatMul weight. */
export function pruneMagnitude(model: Model, options: PruneOptions): TransformResult {
	const sparsity = Math.min(1, Math.max(0, options.sparsity));
	const out = editableCopy(model);
	const graph = out.graph;
	const weights = weightTensors(graph, options.minElements ?? 64);
	let threshold = -1;
	if (options.scope === 'global' && sparsity > 0) {
		const all = new Float32Array(weights.reduce((s, w) => s + elementCount(w.init.dims), 0));
		let at = 0;
		for (const { init } of weights) { all.set(readFloat32(init), at); at += elementCount(init.dims); }
		threshold = kthSmallestMagnitude(all, Math.floor(all.length * sparsity) - 1);
	}
	const rows: LayerRow[] = [];
	for (const { node, init } of weights) {
		const values = readFloat32(init);
		const count = Math.floor(values.length * sparsity);
		if (threshold >= 0) zeroUpTo(values, threshold);
		else zeroSmallest(values, count);
		if (threshold >= 0 || count > 0) graph.initializers[init.name] = withValues(init, values);
		rows.push({ node: node.name, opType: node.opType, tensor: init.name, elements: values.length, bytesBefore: init.data.byteLength, bytesAfter: init.data.byteLength, sparsity: zeros(values) / values.length });
	}
	const report = finishReport({ ...baseReport(options.scope === 'global' ? 'prune-global' : 'prune-layer', model, out), rows }, model, out);
	report.notes.push('Zeros are stored densely: RAM and latency are unchanged on dense kernels; see storage for sparse and compressed sizes.');
	return { model: out, report };
}

/**
 * Where the reduction rows lie: element j of row r is at r·rowStride + j·step. The reduction axis is the
 * contiguous inner extent for Conv/ConvTranspose/Gemm(transB=1) and axis 0 (stride = columns) for
 * MatMul and Gemm(transB=0).
 */
function reductionLayout(node: Node, dims: number[]): { rows: number; length: number; rowStride: number; step: number } {
	const contiguous = node.opType === 'Conv' || node.opType === 'ConvTranspose' || (node.opType === 'Gemm' && intAttr(node, 'transB', 0) === 1);
	if (contiguous) {
		const length = elementCount(dims.slice(1));
		return { rows: dims[0], length, rowStride: length, step: 1 };
	}
	const cols = elementCount(dims.slice(1));
	return { rows: cols, length: dims[0], rowStride: 1, step: cols };
}

/** pruneNM's loop for M = 4 with the four weights and their ranks in locals (the common 2:4 case). */
function pruneGroupsOf4(words: Int32Array, layout: ReturnType<typeof reductionLayout>, drop: number): void {
	const { rows, length, rowStride, step } = layout;
	for (let r = 0; r < rows; r++) {
		for (let start = 0; start + 4 <= length; start += 4) {
			const i0 = r * rowStride + start * step;
			const [i1, i2, i3] = [i0 + step, i0 + 2 * step, i0 + 3 * step];
			const [a0, a1, a2, a3] = [words[i0] & 0x7fffffff, words[i1] & 0x7fffffff, words[i2] & 0x7fffffff, words[i3] & 0x7fffffff];
			// pXY = 1 when the earlier weight X ranks before the later Y (|wX| ≤ |wY|).
			const p01 = 1 + belowMask(a1, a0);
			const p02 = 1 + belowMask(a2, a0);
			const p03 = 1 + belowMask(a3, a0);
			const p12 = 1 + belowMask(a2, a1);
			const p13 = 1 + belowMask(a3, a1);
			const p23 = 1 + belowMask(a3, a2);
			const r0 = 3 - p01 - p02 - p03;
			const r1 = p01 + 2 - p12 - p13;
			const r2 = p02 + p12 + 1 - p23;
			const r3 = p03 + p13 + p23;
			words[i0] &= ~((r0 - drop) >> 31);
			words[i1] &= ~((r1 - drop) >> 31);
			words[i2] &= ~((r2 - drop) >> 31);
			words[i3] &= ~((r3 - drop) >> 31);
		}
	}
}

/**
 * N:M pruning (2:4 by default): in each group of M weights along the reduction axis, keep N. The
 * M − N smallest by (|w|, position) go: each weight's rank in its group is counted over the pairs
 * with integer compares on the magnitude bits, so no branch depends on the weights.
 */
export function pruneNM(model: Model, n = 2, m = 4, minElements = 64): TransformResult {
	const out = editableCopy(model);
	const graph = out.graph;
	const rows: LayerRow[] = [];
	const drop = m - n;
	const at = new Int32Array(m);
	const mag = new Int32Array(m);
	const rank = new Int32Array(m);
	for (const { node, init } of weightTensors(graph, minElements)) {
		const pruned = readFloat32(init);
		const words = new Int32Array(pruned.buffer, pruned.byteOffset, pruned.length);
		const layout = reductionLayout(node, init.dims);
		if (m === 4) pruneGroupsOf4(words, layout, drop);
		else for (let r = 0; r < layout.rows; r++) {
			for (let start = 0; start + m <= layout.length; start += m) {
				for (let j = 0; j < m; j++) {
					at[j] = r * layout.rowStride + (start + j) * layout.step;
					mag[j] = words[at[j]] & 0x7fffffff;
					rank[j] = 0;
				}
				// Positions rise with j: an earlier weight ranks below a later one when |w| ≤, a later one when <.
				for (let j = 1; j < m; j++) {
					for (let k = 0; k < j; k++) {
						const kFirst = 1 + belowMask(mag[j], mag[k]);
						rank[j] += kFirst;
						rank[k] += 1 - kFirst;
					}
				}
				for (let j = 0; j < m; j++) words[at[j]] &= ~((rank[j] - drop) >> 31);
			}
		}
		graph.initializers[init.name] = withValues(init, pruned);
		rows.push({ node: node.name, opType: node.opType, tensor: init.name, elements: pruned.length, bytesBefore: init.data.byteLength, bytesAfter: init.data.byteLength, sparsity: zeros(pruned) / pruned.length, note: layout.length % m ? `last ${layout.length % m} of each row left dense` : undefined });
	}
	const report = finishReport({ ...baseReport(`prune-${n}:${m}`, model, out), rows }, model, out);
	report.notes.push(`${n}:${m} sparsity needs sparse tensor cores to run faster; onnxruntime-web has none, so only storage changes.`);
	return { model: out, report };
}
