/**
 * The speed-ups that replaced data-dependent branches with integer arithmetic (pruning on the float
 * bits, 2:4 ranks, k-means gathering, symmetric rounding) must give what the plain loops they
 * replaced gave. Each reference below is the earlier code, kept as the specification.
 */
import { describe, expect, it } from 'vitest';
import { elementCount, readFloat32 } from '../ir/graph';
import { pruneMagnitude, pruneNM } from './prune-magnitude';
import { quantizeSymmetric } from './quant-math';
import { kmeans1d, shareValues } from './share-kmeans';
import { buildModel, seededValues, tensor } from './test-support';

/** Weights with ties, ±0, subnormals and repeated magnitudes of both signs. */
function awkward(count: number, seed: number): Float32Array {
	const v = seededValues(count, seed, -1, 1);
	for (let i = 0; i < count; i += 7) v[i] = Math.round(v[i] * 4) / 4;
	for (let i = 3; i < count; i += 11) v[i] = i % 2 ? -0 : 0;
	for (let i = 5; i < count; i += 13) v[i] = (i % 2 ? -1 : 1) * 1e-40;
	return v;
}

const bitsOf = (f: Float32Array) => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));

function convModel(weights: Float32Array, dims: number[], op: 'Conv' | 'MatMul') {
	return buildModel([{ op, inputs: ['x', 'w'], outputs: ['y'] }], { x: op === 'Conv' ? [1, dims[1], 3, 3] : [2, dims[0]] }, ['y'], [tensor('w', dims, weights)]);
}

/** The earlier zeroSmallest: a sort-free threshold, then two passes with branches. */
function referenceZeroSmallest(values: Float32Array, count: number): Float32Array {
	const out = values.slice();
	if (count <= 0) return out;
	const threshold = Float32Array.from(values, Math.abs).sort()[count - 1];
	let left = count;
	for (let i = 0; i < out.length && left > 0; i++) if (Math.abs(out[i]) < threshold) { out[i] = 0; left--; }
	for (let i = 0; i < out.length && left > 0; i++) if (out[i] !== 0 && Math.abs(out[i]) === threshold) { out[i] = 0; left--; }
	return out;
}

/** The earlier 2:4 loop: an insertion sort of each group by (|w|, position). */
function referenceNM(values: Float32Array, rows: number, length: number, rowStride: number, step: number, n: number, m: number): Float32Array {
	const pruned = values.slice();
	for (let r = 0; r < rows; r++) {
		for (let start = 0; start + m <= length; start += m) {
			const group = Array.from({ length: m }, (_, j) => r * rowStride + (start + j) * step);
			group.sort((a, b) => Math.abs(values[a]) - Math.abs(values[b]) || a - b);
			for (let j = 0; j < m - n; j++) pruned[group[j]] = 0;
		}
	}
	return pruned;
}

describe('branch-free kernels equal the plain loops', () => {
	it('layer-wise magnitude pruning zeroes exactly the reference elements, ties by position', () => {
		// Also a tensor whose threshold is tied 96 times (±0.5 at every third position, from 0): which
		// of the ties go depends on position.
		const tied = awkward(8 * 4 * 9, 4).map((v, i) => (i % 3 === 0 ? (i % 2 ? -0.5 : 0.5) : v));
		for (const w of [awkward(8 * 4 * 9, 3), tied]) {
			for (const sparsity of [0.1, 0.37, 0.5, 0.9, 1]) {
				const out = readFloat32(pruneMagnitude(convModel(w, [8, 4, 3, 3], 'Conv'), { sparsity }).model.graph.initializers.w);
				expect(bitsOf(out)).toEqual(bitsOf(referenceZeroSmallest(w, Math.floor(w.length * sparsity))));
			}
		}
	});

	it('global pruning zeroes every |w| up to the threshold', () => {
		const w = awkward(16 * 24, 5);
		const out = readFloat32(pruneMagnitude(convModel(w, [16, 24], 'MatMul'), { sparsity: 0.6, scope: 'global', minElements: 1 }).model.graph.initializers.w);
		const threshold = Float32Array.from(w, Math.abs).sort()[Math.floor(w.length * 0.6) - 1];
		expect(bitsOf(out)).toEqual(bitsOf(w.map((v) => (Math.abs(v) <= threshold ? 0 : v))));
	});

	it('2:4 and 3:8 pruning keep the same weights as an insertion sort by (|w|, position)', () => {
		const conv = awkward(6 * 5 * 9, 7);
		const matmul = awkward(24 * 10, 8);
		for (const [n, m] of [[2, 4], [3, 8], [1, 4]]) {
			const c = readFloat32(pruneNM(convModel(conv, [6, 5, 3, 3], 'Conv'), n, m, 1).model.graph.initializers.w);
			expect(bitsOf(c)).toEqual(bitsOf(referenceNM(conv, 6, 45, 45, 1, n, m)));
			const mm = readFloat32(pruneNM(convModel(matmul, [24, 10], 'MatMul'), n, m, 1).model.graph.initializers.w);
			expect(bitsOf(mm)).toEqual(bitsOf(referenceNM(matmul, 10, 24, 1, 10, n, m)));
		}
	});

	it('symmetric quantization rounds as Math.round, per tensor and per channel on every axis', () => {
		const v = awkward(4 * 6 * 5, 9);
		// Values landing exactly on .5 steps, both signs, and just below them.
		v.set([127, -127, 63.5, -63.5, 0.5, -0.5, 0.49999997, -0.49999997, 1.5, -2.5], 0);
		for (const axis of [null, 0, 1, 2]) {
			const q = quantizeSymmetric(v, [4, 6, 5], axis);
			const inner = axis === null ? v.length : elementCount([4, 6, 5].slice(axis + 1));
			const channels = axis === null ? 1 : [4, 6, 5][axis];
			for (let i = 0; i < v.length; i++) {
				const s = q.scales[Math.floor(i / inner) % channels];
				expect(q.codes[i]).toBe(Math.max(-127, Math.min(127, Math.round(v[i] / s))) + 0); // + 0: an int8 code has no −0
			}
		}
	});

	it('k-means with zeros gives the zero cluster index 0 and the others the clustering of the non-zeros', () => {
		const v = awkward(3000, 11);
		const nonzero = v.filter((x) => x !== 0);
		const whole = shareValues(v, 3);
		const inner = kmeans1d(nonzero, 7);
		expect([...whole.centroids.subarray(1)]).toEqual([...inner.centroids]);
		const spread: number[] = [];
		for (let i = 0, j = 0; i < v.length; i++) spread.push(v[i] === 0 ? 0 : inner.indices[j++] + 1);
		expect([...whole.indices]).toEqual(spread);
	});
});
