import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ceilingOf, scenarioArb, toyDevice, workloadOf, type ScenarioCase } from './arbitraries';
import { summarize } from './metrics';
import { simulate, type Workload } from './simulator';
import type { ModelSpec, SimulationOptions, SimulationResult } from './types';
import { expandWorkload } from './workload';

const params = { seed: 20261123, numRuns: 120 };
const optionsOf = (s: ScenarioCase, devices?: number): SimulationOptions => ({
	ceilingBytes: ceilingOf(s), policy: s.policy, cache: s.cache, scheduler: s.scheduler, ...(devices !== undefined ? { devices } : {})
});
const deviceOf = (s: ScenarioCase) => ({ ...toyDevice, storageLatencyMs: s.latency });

/** What the single-device simulator returned before several devices existed, hashed. */
function fingerprint(r: SimulationResult): string {
	const picked = { device: r.device, ceilingBytes: r.ceilingBytes, intervals: r.intervals, memory: r.memory, tasks: r.tasks, swaps: r.swaps, cache: r.cache, energyMillijoules: r.energyMillijoules };
	return createHash('sha256').update(JSON.stringify(picked)).digest('hex').slice(0, 16);
}

describe('several devices', () => {
	it('one device gives exactly what the single-device simulator gave (200 seeded cases, hashes recorded before the change)', () => {
		// single-device.golden.json: fingerprints of the simulator at commit 3cd4ade on fc.sample(scenarioArb, { seed: 42, numRuns: 200 }).
		const golden = JSON.parse(readFileSync(new URL('./single-device.golden.json', import.meta.url), 'utf8')) as string[];
		const cases = fc.sample(scenarioArb, { seed: 42, numRuns: golden.length });
		cases.forEach((s, i) => {
			expect(fingerprint(simulate(workloadOf(s), deviceOf(s), optionsOf(s))), `case ${i}`).toBe(golden[i]);
			expect(fingerprint(simulate(workloadOf(s), deviceOf(s), optionsOf(s, 1))), `case ${i}, devices: 1`).toBe(golden[i]);
		});
	});

	it('two devices run two tasks at once, each loading its own copy of the weights', () => {
		const m: ModelSpec = { id: 'm', layers: [{ name: 'a', weightBytes: 100, outputBytes: 0, computeMs: 50 }] };
		const w: Workload = { models: [m], tasks: expandWorkload([{ kind: 'batch', models: ['m'], count: 3 }]) };
		const r = simulate(w, toyDevice, { ceilingBytes: Infinity, policy: { kind: 'linear' }, cache: 'lru', scheduler: 'fifo', devices: 2 });
		expect(r.devices).toEqual(['toy/1', 'toy/2']);
		// batch#0 → toy/1 and batch#1 → toy/2 at 0 (load 100 ms + run 50 ms); batch#2 at 150 ms goes to toy/1
		// (both free, toy/1 first), whose cache holds m: a hit, 50 ms.
		expect(r.tasks.map((t) => [t.id, t.startMs, t.finishMs])).toEqual([['batch-0#0', 0, 150], ['batch-0#1', 0, 150], ['batch-0#2', 150, 200]]);
		expect(r.intervals.filter((i) => i.kind === 'load').map((i) => i.device)).toEqual(['toy/1', 'toy/2']);
		expect(r.cache).toMatchObject({ hits: 1, misses: 2 });
		// idle 1 W × 200 ms × 2 boards + compute 2 W × 150 ms + storage 0.5 W × 200 ms
		expect(r.energyMillijoules).toBeCloseTo(400 + 300 + 100);
		expect(summarize(r).peakMemoryBytesByDevice).toEqual([100, 100]);
	});

	it('a free device with the model cached takes the stage before a lower-numbered one without it', () => {
		const a: ModelSpec = { id: 'a', layers: [{ name: 'a', weightBytes: 100, outputBytes: 0, computeMs: 10 }] };
		const b: ModelSpec = { id: 'b', layers: [{ name: 'b', weightBytes: 100, outputBytes: 0, computeMs: 10 }] };
		const w: Workload = { models: [a, b], tasks: ['a', 'b', 'b', 'a'].map((id, i) => ({ id: `t${i}`, stream: 's', arrivalMs: 0, stages: [id], priority: 0 })) };
		const r = simulate(w, toyDevice, { ceilingBytes: Infinity, policy: { kind: 'bulk' }, cache: 'lru', scheduler: 'fifo', devices: 2 });
		const ran = r.intervals.filter((i) => i.kind === 'execute').map((i) => `${i.taskId}@${i.device}`);
		expect(ran).toEqual(['t0@toy/1', 't1@toy/2', 't2@toy/2', 't3@toy/1']);
		expect(r.cache.hits).toBe(2);
	});

	it('invariants hold on every device: lanes never overlap, no layer runs before its load, memory under the ceiling unless swapping', () => {
		fc.assert(
			fc.property(scenarioArb, fc.integer({ min: 2, max: 5 }), (s, k) => {
				const r = simulate(workloadOf(s), deviceOf(s), optionsOf(s, k));
				expect(r.devices).toHaveLength(k);
				expect(r.memoryByDevice).toHaveLength(k);
				for (const name of r.devices) {
					const mine = r.intervals.filter((i) => i.device === name);
					for (const lane of ['storage', 'compute']) {
						const ivs = mine.filter((i) => i.lane === lane).sort((a, b) => a.startMs - b.startMs);
						for (let i = 1; i < ivs.length; i++) expect(ivs[i].startMs).toBeGreaterThanOrEqual(ivs[i - 1].endMs - 1e-9);
					}
					const readyAt = new Map<string, number>();
					for (const iv of mine) {
						const key = `${iv.taskId}|${iv.model}|${iv.layer}`;
						if (iv.lane === 'storage') readyAt.set(key, Math.max(readyAt.get(key) ?? 0, iv.endMs));
						else expect(iv.startMs).toBeGreaterThanOrEqual(readyAt.get(key) ?? 0);
					}
				}
				for (const curve of r.memoryByDevice) {
					if (r.swaps.length === 0) expect(Math.max(...curve.map((p) => p.bytes))).toBeLessThanOrEqual(ceilingOf(s));
					if (s.cache === 'none') expect(curve[curve.length - 1].bytes).toBe(0);
					expect(Math.min(...curve.map((p) => p.bytes))).toBeGreaterThanOrEqual(0);
				}
				// Stages of a task run in order, each after the previous one ended (on whichever device).
				const byTask = new Map<string, { start: number; end: number }[]>();
				for (const iv of r.intervals.filter((i) => i.lane === 'compute')) {
					const runs = byTask.get(iv.taskId) ?? [];
					byTask.set(iv.taskId, runs);
					runs.push({ start: iv.startMs, end: iv.endMs });
				}
				for (const runs of byTask.values()) {
					runs.sort((a, b) => a.start - b.start);
					for (let i = 1; i < runs.length; i++) expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end - 1e-9);
				}
				for (const t of r.tasks) expect(t.startMs).toBeGreaterThanOrEqual(t.arrivalMs);
				// Same work whatever the number of devices: every layer of every stage executes once.
				const one = simulate(workloadOf(s), deviceOf(s), optionsOf(s, 1));
				expect(r.intervals.filter((i) => i.kind === 'execute').length).toBe(one.intervals.filter((i) => i.kind === 'execute').length);
				expect(summarize(r).computeBusyMs).toBeCloseTo(summarize(one).computeBusyMs);
			}),
			params
		);
	});

	it('more devices never lengthen a batch (no cache: a run takes the same time on any device)', () => {
		fc.assert(
			fc.property(scenarioArb, fc.integer({ min: 1, max: 6 }), (s, count) => {
				const w: Workload = { models: s.models, tasks: expandWorkload([{ kind: 'batch', models: s.models.map((m) => m.id), count }]) };
				const makespans = [1, 2, 3, 4].map((k) => summarize(simulate(w, deviceOf(s), { ...optionsOf(s, k), cache: 'none' })).makespanMs);
				for (let k = 1; k < makespans.length; k++) expect(makespans[k]).toBeLessThanOrEqual(makespans[k - 1] + 1e-9);
			}),
			params
		);
	});

	it('is deterministic for a seed with several devices', () => {
		fc.assert(
			fc.property(scenarioArb, fc.integer({ min: 2, max: 4 }), (s, k) => {
				expect(simulate(workloadOf(s), deviceOf(s), optionsOf(s, k))).toEqual(simulate(workloadOf(s), deviceOf(s), optionsOf(s, k)));
			}),
			{ ...params, numRuns: 30 }
		);
	});

	it('refuses a device count that is not a positive integer', () => {
		const w: Workload = { models: [], tasks: [] };
		expect(() => simulate(w, toyDevice, { ceilingBytes: 1, policy: { kind: 'bulk' }, cache: 'none', scheduler: 'fifo', devices: 0 })).toThrow(/devices must be a positive integer \(got 0\)/);
	});
});
