import { describe, expect, it } from 'vitest';
import { compareOutputs } from './fidelity';
import { applyTransforms } from './pipeline';
import { quantizeDynamic, type DynamicForm } from './quantize-dynamic';
import { buildModel, feed, fingerprint, loadZoo, runModel, seededValues, tensor, zooFeeds, type ZooName } from './test-support';

/** Output SQNR (dB) thresholds, about 10 dB under what was measured (rec: 44 dB per tensor, 36 per channel). */
const CASES: [ZooName, DynamicForm, boolean, number][] = [
	['rec', 'integer', false, 34],
	['rec', 'qdq', true, 26]
];

describe('dynamic int8 (MatMul/Gemm)', () => {
	it.each(CASES)('%s, %s form, per-channel %s: runs, keeps SQNR ≥ %d dB, stores fewer weight bytes', async (name, form, perChannel, minSqnr) => {
		const model = loadZoo(name);
		const before = fingerprint(model);
		const feeds = zooFeeds(name);
		const { model: q, report } = quantizeDynamic(model, { form, perChannel });
		expect(fingerprint(model)).toBe(before);
		const ops = q.graph.nodes.map((n) => n.opType);
		expect(ops.filter((o) => o === 'DynamicQuantizeLinear')).toHaveLength(report.rows.length);
		expect(ops.includes('MatMulInteger')).toBe(form === 'integer');
		expect(report.rows.length).toBeGreaterThanOrEqual(3);
		expect(report.weightBytesAfter).toBeLessThan(report.weightBytesBefore);
		const [fidelity] = Object.values(compareOutputs(await runModel(model, feeds), await runModel(q, feeds)));
		expect(fidelity.sqnrDb).toBeGreaterThanOrEqual(minSqnr);
	});

	// A 3-D activation through MatMul, then Gemm with transB, alpha, beta and a bias.
	const hand = buildModel(
		[
			{ op: 'MatMul', inputs: ['x', 'w1'], outputs: ['h'] },
			{ op: 'Reshape', inputs: ['h', 'shape'], outputs: ['h2'] },
			{ op: 'Gemm', inputs: ['h2', 'w2', 'c'], outputs: ['y'], attrs: { transB: { type: 'int', value: 1 }, alpha: { type: 'float', value: 0.5 }, beta: { type: 'float', value: 2 } } }
		],
		{ x: [2, 3, 16] }, ['y'],
		[
			tensor('w1', [16, 24], seededValues(384, 1, -1, 1)), tensor('w2', [10, 24], seededValues(240, 2, -1, 1)), tensor('c', [10], seededValues(10, 3, -1, 1)),
			{ name: 'shape', dtype: 'int64', dims: [2], data: new Uint8Array(new BigInt64Array([6n, 24n]).buffer), origin: 'initializer' }
		]
	);
	it.each([['integer', false], ['integer', true], ['qdq', false], ['qdq', true]] as [DynamicForm, boolean][])('hand-built MatMul + Gemm(transB, alpha, beta, bias), %s form, per-channel %s', async (form, perChannel) => {
		const feeds = { x: feed([2, 3, 16], 4, -2, 2) };
		const { model: q, report } = quantizeDynamic(hand, { form, perChannel, minElements: 1 });
		expect(report.rows.map((r) => r.tensor)).toEqual(['w1', 'w2']);
		const [fidelity] = Object.values(compareOutputs(await runModel(hand, feeds), await runModel(q, feeds)));
		expect(fidelity.sqnrDb).toBeGreaterThan(30);
		expect(fidelity.sqnrDb).toBeLessThan(Infinity);
	});

	it('is the pipeline\'s int8-dynamic step; activation×activation MatMuls are left alone', async () => {
		const { reports, model } = await applyTransforms(loadZoo('rec'), { quantize: 'int8-dynamic' });
		expect(reports[0].transform).toBe('int8-dynamic-integer');
		expect(model.graph.nodes.filter((n) => n.opType === 'MatMul')).toHaveLength(4);
	});
});
