import { describe, expect, it } from 'vitest';
import { elementCount, readFloat32 } from '../ir/graph';
import { compareOutputs } from './fidelity';
import { fuse } from './fuse';
import { huffmanBits, huffmanLengths } from './huffman';
import { pruneMagnitude, pruneNM } from './prune-magnitude';
import { kmeans1d, shareWeights } from './share-kmeans';
import { storageFigures, tensorStorage } from './storage';
import { fingerprint, loadZoo, runModel, zooFeeds } from './test-support';
import { weightTensors } from './util';

const zeroCount = (v: Float32Array) => v.reduce((n, x) => n + (x === 0 ? 1 : 0), 0);

describe('building blocks', () => {
	it('1-D k-means finds well separated clusters exactly', () => {
		const values = Float32Array.from([1, 1.1, 0.9, 5, 5.2, 4.8, -3, -3.1, -2.9, 10]);
		const { centroids, indices } = kmeans1d(values, 4);
		expect([...centroids].map((c) => +c.toFixed(3))).toEqual([-3, 1, 5, 10]);
		expect([...indices]).toEqual([1, 1, 1, 2, 2, 2, 0, 0, 0, 3]);
	});

	it('Huffman code lengths follow the frequencies', () => {
		expect([...huffmanLengths([1, 1, 2, 4])]).toEqual([3, 3, 2, 1]);
		expect(huffmanBits([0, 0, 0, 0, 1, 1, 2, 3], 4)).toBe(4 * 1 + 2 * 2 + 3 + 3);
	});

	it('sparse sizes equal bitmask and CSR sizes counted by hand', () => {
		const values = new Float32Array(64 * 100);
		for (let i = 0; i < values.length; i += 10) values[i] = 1;
		const init = { name: 't', dtype: 'float32' as const, dims: [64, 100], data: new Uint8Array(values.buffer), origin: 'initializer' as const };
		const s = tensorStorage(init);
		expect(s.nonZero).toBe(640);
		expect(s.bitmaskBytes).toBe(6400 / 8 + 640 * 4);
		// CSR: 640 × (32 value bits + 7 column bits) + 65 row pointers × 10 bits.
		expect(s.csrBytes).toBe(Math.ceil((640 * 39 + 65 * 10) / 8));
		expect(s.sparseBytes).toBe(Math.min(25600, s.bitmaskBytes, s.csrBytes));
	});
});

describe('pruning and sharing on the orientation classifier', () => {
	const model = fuse(loadZoo('cls')).model;
	const feeds = zooFeeds('cls');
	const logitsOf = (m: typeof model) => runModel(m, feeds);

	it('layer-wise magnitude pruning reaches the sparsity in every weight; 0% is the identity', async () => {
		const before = fingerprint(model);
		const { model: pruned, report } = pruneMagnitude(model, { sparsity: 0.5 });
		expect(fingerprint(model)).toBe(before);
		for (const { init } of weightTensors(pruned.graph, 64)) {
			expect(zeroCount(readFloat32(init)) / elementCount(init.dims)).toBeGreaterThanOrEqual(0.5 - 1 / elementCount(init.dims));
		}
		expect(report.weightBytesAfter).toBe(report.weightBytesBefore);
		await logitsOf(pruned);
		const none = pruneMagnitude(model, { sparsity: 0 }).model;
		for (const [name, init] of Object.entries(model.graph.initializers)) expect(none.graph.initializers[name].data).toBe(init.data);
	});

	it('global pruning uses one threshold: overall sparsity on target, layers differ', () => {
		const { report } = pruneMagnitude(model, { sparsity: 0.6, scope: 'global' });
		const total = report.rows.reduce((s, r) => s + r.elements, 0);
		const zeros = report.rows.reduce((s, r) => s + r.sparsity! * r.elements, 0);
		expect(zeros / total).toBeCloseTo(0.6, 2);
		const spread = report.rows.map((r) => r.sparsity!);
		expect(Math.max(...spread) - Math.min(...spread)).toBeGreaterThan(0.2);
	});

	it('2:4 pruning leaves at most 2 non-zeros in each group of 4 along the reduction axis', async () => {
		const { model: pruned } = pruneNM(model);
		for (const { node, init } of weightTensors(pruned.graph, 64)) {
			if (node.opType !== 'Conv') continue;
			const v = readFloat32(init);
			const row = elementCount(init.dims.slice(1));
			for (let r = 0; r < init.dims[0]; r++) for (let g = 0; g + 4 <= row; g += 4) {
				let nz = 0;
				for (let j = 0; j < 4; j++) if (v[r * row + g + j] !== 0) nz++;
				expect(nz).toBeLessThanOrEqual(2);
			}
		}
		await logitsOf(pruned);
	});

	it('sharing at 8 bits is near-lossless, at 2 bits it is not; packed sizes are codebook + b-bit indices', async () => {
		const ref = await logitsOf(model);
		const eight = shareWeights(model, { bits: 8 });
		const two = shareWeights(model, { bits: 2 });
		const mean = (rows: typeof eight.report.rows) => rows.reduce((s, r) => s + r.sqnrDb!, 0) / rows.length;
		expect(mean(eight.report.rows)).toBeGreaterThan(40);
		expect(mean(two.report.rows)).toBeLessThan(20);
		const s8 = Object.values(compareOutputs(ref, await logitsOf(eight.model)))[0];
		const s2 = Object.values(compareOutputs(ref, await logitsOf(two.model)))[0];
		expect(s8.sqnrDb).toBeGreaterThan(40);
		expect(s2.sqnrDb).toBeLessThan(s8.sqnrDb - 20);
		for (const [bits, r] of [[8, eight], [2, two]] as const) {
			const expected = r.report.rows.reduce((s, row) => s + 4 * 2 ** bits + Math.ceil((row.elements * bits) / 8), 0);
			expect(r.report.packedBytes).toBe(expected);
			for (const { init } of weightTensors(r.model.graph, 64)) expect(new Set(readFloat32(init)).size).toBeLessThanOrEqual(2 ** bits);
		}
		expect(two.report.huffmanBytes).toBeLessThanOrEqual(two.report.packedBytes + two.report.rows.length * 4);
	});

	it('prune → share keeps zeros as their own centroid; sparse and deflated storage shrink, dense does not', async () => {
		const pruned = pruneMagnitude(model, { sparsity: 0.7 }).model;
		const shared = shareWeights(pruned, { bits: 4 }).model;
		for (const { init } of weightTensors(shared.graph, 64)) expect(zeroCount(readFloat32(init)) / elementCount(init.dims)).toBeGreaterThanOrEqual(0.7 - 1 / elementCount(init.dims));
		const [a, b] = [await storageFigures(model), await storageFigures(shared)];
		expect(b.denseBytes).toBe(a.denseBytes);
		expect(b.sparseBytes).toBeLessThan(a.sparseBytes * 0.6);
		expect(b.compressedBytes).toBeLessThan(a.compressedBytes * 0.5);
		expect(a.compressedBytes).toBeLessThan(a.denseBytes);
	});
});
