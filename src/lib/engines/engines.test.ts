import { describe, expect, it } from 'vitest';
import { detectCapabilities, threadCount } from './capabilities';
import { resolveShape, syntheticFeeds } from './feeds';
import { latencyStats, previewTensor, quantile } from './stats';

describe('capabilities', () => {
	it('finds SIMD in Node and no isolation; threads only with isolation and SharedArrayBuffer', () => {
		const node = detectCapabilities();
		expect(node.wasmSimd).toBe(true);
		expect(node.crossOriginIsolated).toBe(false);
		expect(threadCount(node)).toBe(1);

		const nav = { hardwareConcurrency: 16, userAgent: 'test' };
		const isolated = detectCapabilities({ crossOriginIsolated: true, SharedArrayBuffer, WebAssembly, navigator: nav });
		expect(isolated.wasmThreads).toBe(true);
		expect(threadCount(isolated)).toBe(4);
		expect(threadCount({ ...isolated, hardwareConcurrency: 2 })).toBe(2);

		const notIsolated = detectCapabilities({ crossOriginIsolated: false, SharedArrayBuffer, WebAssembly, navigator: nav });
		expect(notIsolated.wasmThreads).toBe(false);
		expect(threadCount(notIsolated)).toBe(1);
		expect(detectCapabilities({ navigator: { gpu: {} } }).webgpu).toBe('api');
	});
});

describe('latency statistics', () => {
	it('median and quantiles interpolate like numpy and ignore input order', () => {
		expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
		expect(quantile([10], 0.9)).toBe(10);
		const s = latencyStats([5, 1, 4, 2, 3], 2);
		expect(s).toMatchObject({ medianMs: 3, minMs: 1, maxMs: 5, runs: 5, warmup: 2 });
		expect(s.p10Ms).toBeCloseTo(1.4);
		expect(s.p90Ms).toBeCloseTo(4.6);
		expect(s.p10Ms).toBeLessThanOrEqual(s.medianMs);
	});

	it('previews a tensor, bigints included', () => {
		const p = previewTensor('y', 'int64', [3], new BigInt64Array([3n, -1n, 7n]), 2);
		expect(p).toMatchObject({ head: [3, -1], min: -1, max: 7, mean: 3 });
	});
});

describe('synthetic feeds', () => {
	it('resolves symbolic dims and is deterministic', () => {
		const inputs = [{ name: 'x', dtype: 'float32', shape: ['n', 3] }, { name: 'k', dtype: 'int64', shape: [] }];
		const a = syntheticFeeds(inputs, { n: 2 });
		expect(a.x.dims).toEqual([2, 3]);
		expect(a.k.dims).toEqual([]);
		expect(Array.from(a.x.data as Float32Array)).toEqual(Array.from(syntheticFeeds(inputs, { n: 2 }).x.data as Float32Array));
		expect(resolveShape({ name: 'x', dtype: 'float32', shape: ['n'] }, {})).toEqual({ missing: 'n' });
		expect(() => syntheticFeeds(inputs, {})).toThrow(/dim 'n'/);
	});
});
