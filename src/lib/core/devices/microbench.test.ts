import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { openModel } from '../formats/registry';
import { modelMemory } from '../memory/from-model';
import { browserProfile } from './calibrate';
import { matmulMicrobench, microbenchMeasurement } from './microbench';

describe('the calibration microbenchmark', () => {
	it('is a MatMul whose MACs the estimator counts the same way', () => {
		const bench = matmulMicrobench({ m: 8, k: 16, n: 4 });
		const memory = modelMemory(openModel(bench.bytes, 'microbench.onnx'), { dims: {} });
		expect(memory.ops.reduce((s, o) => s + o.macs, 0)).toBe(bench.macs);
		expect(bench.macs).toBe(8 * 16 * 4);
	});

	it('runs in onnxruntime-web and computes A · B', async () => {
		const { m, k, n } = { m: 3, k: 5, n: 2 };
		const bench = matmulMicrobench({ m, k, n });
		const session = await ort.InferenceSession.create(bench.bytes);
		const feeds = Object.fromEntries(Object.entries(bench.feeds).map(([name, t]) => [name, new ort.Tensor('float32', t.data, t.dims)]));
		const y = (await session.run(feeds)).Y.data as Float32Array;
		const a = bench.feeds.A.data;
		const b = bench.feeds.B.data;
		for (let i = 0; i < m; i++)
			for (let j = 0; j < n; j++) {
				let sum = 0;
				for (let p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
				expect(y[i * n + j]).toBeCloseTo(sum, 4);
			}
		expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1);
		await session.release();
	});

	it('its median time becomes the profile\'s fp32 rate; a bad shape is refused', () => {
		const bench = matmulMicrobench();
		const profile = browserProfile(microbenchMeasurement(bench, 10, 'test'));
		expect(profile.throughputMacsPerSecond.float32.value).toBeCloseTo(bench.macs / 0.01, 0);
		expect(profile.throughputMacsPerSecond.float32.derivation).toContain('MatMul 256×512 · 512×512');
		expect(() => matmulMicrobench({ m: 0, k: 1, n: 1 })).toThrow(/positive integers/);
	});
});
