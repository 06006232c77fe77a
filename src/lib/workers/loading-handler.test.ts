import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deviceById } from '../core/devices/profiles';
import { deviceFromProfile } from '../core/loading/adapters';
import type { LoadingPolicy, ModelSpec } from '../core/loading/types';
import type { StreamSpec } from '../core/loading/workload';
import { findEntry, parseManifest } from '../core/zoo/manifest';
import { handleLoading } from './loading-handler';
import type { LoadingModelInput, LoadingProgress, LoadingResult } from './protocol';

const manifest = parseManifest(JSON.parse(readFileSync('models/manifest.json', 'utf8')));
const input = (id: string, dims: Record<string, number> = {}): LoadingModelInput => {
	const entry = findEntry(manifest, id);
	return { id, bytes: new Uint8Array(readFileSync(`static/models/${id}.onnx`)), fileName: `${id}.onnx`, dims: { ...entry.defaultDims, ...dims }, zoo: entry };
};
const policies: LoadingPolicy[] = [{ kind: 'bulk' }, { kind: 'linear' }, { kind: 'interleaved', lookahead: 2 }, { kind: 'partial', budgetBytes: 2e6, lookahead: 2 }];

function as<T extends LoadingResult['type']>(r: LoadingResult, type: T): Extract<LoadingResult, { type: T }> {
	expect(r.type).toBe(type);
	return r as Extract<LoadingResult, { type: T }>;
}

describe('loading handler (in-thread, as the RPC fallback calls it)', () => {
	let specs: ModelSpec[] = [];

	it('prepare: zoo models become loader layers whose weights add up to the model\'s', async () => {
		const stages: LoadingProgress[] = [];
		const small = { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 160, 'p2o.DynamicDimension.2': 160 };
		const r = as(await handleLoading({ id: 1, type: 'prepare', models: [input('ppocr-v4-det', small), input('ppocr-mobile-v2-cls'), input('ppocr-v4-rec')] }, (p) => stages.push(p)), 'prepare');
		specs = r.models;
		expect(specs.map((m) => m.id)).toEqual(['ppocr-v4-det', 'ppocr-mobile-v2-cls', 'ppocr-v4-rec']);
		expect(stages.map((s) => s.detail)).toEqual(specs.map((m) => m.id));
		for (const m of specs) {
			expect(m.layers.length).toBeGreaterThan(5);
			expect(m.inputBytes).toBeGreaterThan(0);
			expect(m.layers.every((l) => l.weightBytes >= 0 && l.outputBytes >= 0)).toBe(true);
		}
		// The classifier's file is ~0.57 MB, nearly all float32 weights.
		const clsWeights = specs[1].layers.reduce((s, l) => s + l.weightBytes, 0);
		expect(clsWeights).toBeGreaterThan(0.4e6);
		expect(clsWeights).toBeLessThan(0.6e6);
	}, 60_000);

	it('simulate: one outcome per policy, the detail of the one asked for, interleaved never slower than linear', async () => {
		const device = deviceFromProfile(deviceById('pi3')!);
		const streams = [{ kind: 'pipeline' as const, stages: specs.map((m) => m.id), count: 10, periodMs: 1000, deadlineMs: 3000 }];
		const base = { id: 2, type: 'simulate' as const, models: specs, streams, seed: 1, device, ceilingBytes: 40e6, policies, cache: 'lru' as const, scheduler: 'edf' as const };
		const a = as(await handleLoading({ ...base, detailIndex: 1 }, () => {}), 'simulate');
		const b = as(await handleLoading({ ...base, detailIndex: 2 }, () => {}), 'simulate');
		expect(a.tasks).toBe(10);
		expect(a.outcomes.map((o) => o.policy)).toEqual(policies);
		expect(a.outcomes).toEqual(b.outcomes);
		const [bulk, linear, interleaved] = a.outcomes.map((o) => o.metrics);
		expect(interleaved.makespanMs).toBeLessThanOrEqual(linear.makespanMs);
		expect(linear.peakMemoryBytes).toBeLessThanOrEqual(bulk.peakMemoryBytes);
		expect(bulk.computeBusyMs).toBeCloseTo(linear.computeBusyMs, 6);
		// The detail is the chosen policy's own run: its makespan matches that row.
		const finish = (d: typeof a.detail) => Math.max(...d.tasks.map((t) => t.finishMs));
		expect(finish(a.detail)).toBeCloseTo(a.outcomes[1].metrics.makespanMs, 6);
		expect(finish(b.detail)).toBeCloseTo(b.outcomes[2].metrics.makespanMs, 6);
		expect(a.detail.intervals.some((iv) => iv.lane === 'storage' && iv.kind === 'load')).toBe(true);
	});

	it('simulate: several devices share the workload; the detail has every device\'s lanes and memory', async () => {
		const device = deviceFromProfile(deviceById('pi3')!);
		const streams: StreamSpec[] = [{ kind: 'batch', models: specs.map((m) => m.id), count: 6 }];
		const req = { id: 5, type: 'simulate' as const, models: specs, streams, seed: 1, device, ceilingBytes: 40e6, policies, detailIndex: 0, cache: 'none' as const, scheduler: 'fifo' as const };
		const one = as(await handleLoading(req, () => {}), 'simulate');
		const two = as(await handleLoading({ ...req, devices: 2 }, () => {}), 'simulate');
		expect(two.detail.devices).toEqual(['pi3/1', 'pi3/2']);
		expect(two.detail.memoryByDevice).toHaveLength(2);
		expect(new Set(two.detail.intervals.map((iv) => iv.device))).toEqual(new Set(['pi3/1', 'pi3/2']));
		two.outcomes.forEach((o, i) => {
			expect(o.metrics.makespanMs).toBeLessThanOrEqual(one.outcomes[i].metrics.makespanMs);
			expect(o.metrics.computeBusyMs).toBeCloseTo(one.outcomes[i].metrics.computeBusyMs, 6);
		});
	});

	it('simulate: a policy index out of range is an error naming it', async () => {
		const device = deviceFromProfile(deviceById('pi3')!);
		await expect(
			handleLoading({ id: 3, type: 'simulate', models: specs, streams: [], seed: 1, device, ceilingBytes: Infinity, policies, detailIndex: 9, cache: 'none', scheduler: 'fifo' }, () => {})
		).rejects.toThrow(/index 9/);
	});

	it('measure: bulk, linear and interleaved really run the classifier in blocks and report times and a heap figure', async () => {
		const results = [];
		for (const policy of ['bulk', 'linear', 'interleaved'] as const) {
			const stages: LoadingProgress[] = [];
			const r = as(
				await handleLoading(
					{ id: 4, type: 'measure', model: input('ppocr-mobile-v2-cls'), storeKey: 'test-cls', blockCount: 4, policy, warmup: 0, runs: 2, wasmPaths: '' },
					(p) => stages.push(p)
				),
				'measure'
			).measured;
			results.push(r);
			expect(r.policy).toBe(policy);
			expect(r.latency.runs).toBe(2);
			expect(r.latency.medianMs).toBeGreaterThan(0);
			expect(r.sessionCreateMs).toBeGreaterThan(0);
			expect(r.heapBytes).toBeGreaterThan(0);
			expect(r.basis).toMatch(/measured in this browser/);
			expect(stages.at(-1)?.stage).toBe('measuring');
		}
		expect(results.map((r) => r.blocks)).toEqual([1, 4, 4]);
		// Split once, then read from the store.
		expect(results[0].store).toMatch(/stored now/);
		expect(results[2].store).toMatch(/already stored/);
		// Blocks hold the same weights as the whole file, give or take per-file overhead and copied constants.
		expect(Math.abs(results[1].storedBytes - results[0].storedBytes) / results[0].storedBytes).toBeLessThan(0.1);
	}, 120_000);

	it('measure with emulated storage: every pass takes at least the time to read its blocks at that bandwidth', async () => {
		const storage = { bandwidthBytesPerSecond: 4e6, latencyMs: 2 };
		const r = as(
			await handleLoading({ id: 6, type: 'measure', model: input('ppocr-mobile-v2-cls'), storeKey: 'test-cls-slow', blockCount: 4, policy: 'linear', warmup: 0, runs: 2, wasmPaths: '', storage }, () => {}),
			'measure'
		).measured;
		// Four reads of their bytes at 4 MB/s plus 2 ms each: a lower bound on every pass.
		expect(r.latency.p10Ms).toBeGreaterThanOrEqual((r.storedBytes / storage.bandwidthBytesPerSecond) * 1000 + 4 * storage.latencyMs - 1);
		expect(r.basis).toMatch(/emulated storage/);
	}, 60_000);
});
