import { describe, expect, it } from 'vitest';
import { readFloat32 } from '../ir/graph';
import { compareOutputs } from './fidelity';
import { fuse } from './fuse';
import { upgradeOpset } from './opset';
import { quantizeFp16 } from './quantize-fp16';
import { quantizeInt8Weights } from './quantize-int8';
import { buildModel, feed, fingerprint, loadZoo, runModel, seededValues, tensor, zooFeeds, type ZooName } from './test-support';
import { sqnr } from './util';

const mlp = buildModel(
	[{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['h'] }, { op: 'Relu', inputs: ['h'], outputs: ['y'] }],
	{ x: [2, 32] }, ['y'], [tensor('w', [32, 8], seededValues(256, 5, -1, 1))]
);

describe('int8 weight-only and fp16 on a hand-built graph', () => {
	it('stores int8 behind DequantizeLinear, with the SQNR computed independently', async () => {
		const before = fingerprint(mlp);
		const { model, report } = quantizeInt8Weights(mlp, { perChannel: true, minElements: 1 });
		expect(fingerprint(mlp)).toBe(before);
		expect(model.graph.nodes.map((n) => n.opType)).toEqual(['DequantizeLinear', 'MatMul', 'Relu']);
		const q = Object.values(model.graph.initializers).find((t) => t.dtype === 'int8' && t.dims.length === 2)!;
		expect(q.data.byteLength).toBe(256);
		const w = readFloat32(mlp.graph.initializers.w);
		const codes = readFloat32(q);
		const scales = readFloat32(Object.values(model.graph.initializers).find((t) => t.name.endsWith('_scale'))!);
		const deq = codes.map((c, i) => c * scales[i % 8]);
		expect(report.rows[0].sqnrDb).toBeCloseTo(sqnr(w, deq), 6);
		expect(report.rows[0].sqnrDb).toBeGreaterThan(35);
		const feeds = { x: feed([2, 32]) };
		const fid = compareOutputs(await runModel(mlp, feeds), await runModel(model, feeds));
		expect(fid.y.sqnrDb).toBeGreaterThan(35);
	});

	it('fp16 keeps a Cast-fed float graph and halves the weight bytes', async () => {
		const { model, report } = quantizeFp16(mlp);
		expect(report.weightBytesAfter).toBe(report.weightBytesBefore / 2);
		const feeds = { x: feed([2, 32]) };
		expect(compareOutputs(await runModel(mlp, feeds), await runModel(model, feeds)).y.sqnrDb).toBeGreaterThan(60);
	});
});

describe('opset upgrade', () => {
	it('carries Clip/Slice/Softmax of opset 9 to 13 with the same outputs', async () => {
		const old = buildModel(
			[
				{ op: 'Clip', inputs: ['x'], outputs: ['c'], attrs: { min: { type: 'float', value: -0.5 }, max: { type: 'float', value: 0.5 } } },
				{ op: 'Slice', inputs: ['c'], outputs: ['s'], attrs: { starts: { type: 'ints', value: [1] }, ends: { type: 'ints', value: [3] }, axes: { type: 'ints', value: [1] } } },
				{ op: 'Softmax', inputs: ['s'], outputs: ['y'], attrs: { axis: { type: 'int', value: 1 } } }
			],
			{ x: [2, 4, 3] }, ['y'], [], 9
		);
		const raised = upgradeOpset(old, 13);
		expect(raised.opsetImports[0].version).toBe(13);
		const feeds = { x: feed([2, 4, 3]) };
		const [a, b] = [await runModel(old, feeds), await runModel(raised, feeds)];
		expect(compareOutputs(a, b).y.maxAbsError).toBeLessThan(1e-6);
	});
});

describe('quantization on the zoo', () => {
	// Output SQNR floors on each model's representative input (measured: cls >100, det 24, rec 20, mel 45, embedding 36).
	const floors: Partial<Record<ZooName, number>> = { cls: 40, det: 20, rec: 17, mel: 35, embedding: 30, jarvis: 30 };
	for (const [name, floor] of Object.entries(floors) as [ZooName, number][]) {
		it(`${name}: per-channel int8 weight-only keeps output SQNR ≥ ${floor} dB; fp16 ≥ 40 dB`, async () => {
			const model = loadZoo(name);
			const before = fingerprint(model);
			const feeds = zooFeeds(name);
			const ref = await runModel(model, feeds);
			const int8 = quantizeInt8Weights(model, { perChannel: true });
			const fp16 = quantizeFp16(model);
			expect(fingerprint(model)).toBe(before);
			const sum = (key: 'bytesBefore' | 'bytesAfter') => int8.report.rows.reduce((s, r) => s + r[key], 0);
			expect(sum('bytesAfter')).toBeLessThan(sum('bytesBefore') * 0.3);
			for (const f of Object.values(compareOutputs(ref, await runModel(int8.model, feeds)))) expect(f.sqnrDb).toBeGreaterThanOrEqual(floor);
			for (const f of Object.values(compareOutputs(ref, await runModel(fp16.model, feeds)))) expect(f.sqnrDb).toBeGreaterThanOrEqual(40);
		});
	}

	it('per-channel beats per-tensor on the orientation classifier (MobileNetV3) weight by weight, after BN folding', () => {
		const model = fuse(loadZoo('cls')).model;
		const perTensor = quantizeInt8Weights(model).report.rows;
		const perChannel = quantizeInt8Weights(model, { perChannel: true }).report.rows;
		const mean = (rows: typeof perTensor) => rows.reduce((s, r) => s + r.sqnrDb!, 0) / rows.length;
		expect(mean(perChannel)).toBeGreaterThan(mean(perTensor) + 5);
		perChannel.forEach((row, i) => expect(row.sqnrDb!).toBeGreaterThanOrEqual(perTensor[i].sqnrDb! - 1e-9));
	});
});
