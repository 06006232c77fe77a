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

/** Zeros the `count` smallest-magnitude values (ties broken by position), returning a new array. */
function zeroSmallest(values: Float32Array, count: number): Float32Array {
	if (count <= 0) return values;
	const threshold = kthSmallestMagnitude(values, count - 1);
	const out = values.slice();
	let left = count;
	for (let i = 0; i < out.length && left > 0; i++) if (Math.abs(out[i]) < threshold) { out[i] = 0; left--; }
	for (let i = 0; i < out.length && left > 0; i++) if (out[i] !== 0 && Math.abs(out[i]) === threshold) { out[i] = 0; left--; }
	return out;
}

/** Zeros every value with |v| ≤ threshold, returning a new array. */
function zeroUpTo(values: Float32Array, threshold: number): Float32Array {
	const out = values.slice();
	for (let i = 0; i < out.length; i++) if (Math.abs(out[i]) <= threshold) out[i] = 0;
	return out;
}

function zeros(values: Float32Array): number {
	let n = 0;
	for (let i = 0; i < values.length; i++) if (values[i] === 0) n++;
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
		const pruned = threshold >= 0 ? zeroUpTo(values, threshold) : zeroSmallest(values, Math.floor(values.length * sparsity));
		if (pruned !== values) graph.initializers[init.name] = withValues(init, pruned);
		rows.push({ node: node.name, opType: node.opType, tensor: init.name, elements: values.length, bytesBefore: init.data.byteLength, bytesAfter: init.data.byteLength, sparsity: zeros(pruned) / values.length });
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

/** N:M pruning (2:4 by default): in each group of M weights along the reduction axis, keep N. */
export function pruneNM(model: Model, n = 2, m = 4, minElements = 64): TransformResult {
	const out = editableCopy(model);
	const graph = out.graph;
	const rows: LayerRow[] = [];
	for (const { node, init } of weightTensors(graph, minElements)) {
		const values = readFloat32(init);
		const pruned = values.slice();
		const layout = reductionLayout(node, init.dims);
		const group = new Int32Array(m);
		for (let r = 0; r < layout.rows; r++) {
			for (let start = 0; start + m <= layout.length; start += m) {
				// Insertion sort of the group's indices by (|w|, index): M is tiny, and no array is allocated.
				for (let j = 0; j < m; j++) {
					const idx = r * layout.rowStride + (start + j) * layout.step;
					const mag = Math.abs(values[idx]);
					let k = j;
					for (; k > 0; k--) {
						const prev = group[k - 1];
						const pm = Math.abs(values[prev]);
						if (pm < mag || (pm === mag && prev < idx)) break;
						group[k] = prev;
					}
					group[k] = idx;
				}
				for (let j = 0; j < m - n; j++) pruned[group[j]] = 0;
			}
		}
		graph.initializers[init.name] = withValues(init, pruned);
		rows.push({ node: node.name, opType: node.opType, tensor: init.name, elements: values.length, bytesBefore: init.data.byteLength, bytesAfter: init.data.byteLength, sparsity: zeros(pruned) / values.length, note: layout.length % m ? `last ${layout.length % m} of each row left dense` : undefined });
	}
	const report = finishReport({ ...baseReport(`prune-${n}:${m}`, model, out), rows }, model, out);
	report.notes.push(`${n}:${m} sparsity needs sparse tensor cores to run faster; onnxruntime-web has none, so only storage changes.`);
	return { model: out, report };
}
