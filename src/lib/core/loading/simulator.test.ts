import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ceilingOf, policyArb, scenarioArb, toyDevice, workloadOf } from './arbitraries';
import { simulate, type Workload } from './simulator';
import { summarize } from './metrics';
import { expandWorkload, type StreamSpec } from './workload';
import type { CacheKind, DeviceSpec, LoadingPolicy, ModelSpec, SimulationResult } from './types';

const device: DeviceSpec = toyDevice;

const twoLayers: ModelSpec = {
	id: 'm',
	layers: [
		{ name: 'a', weightBytes: 100, outputBytes: 10, computeMs: 50 },
		{ name: 'b', weightBytes: 100, outputBytes: 10, computeMs: 50 }
	]
};

const one = (model: ModelSpec, count = 1): Workload => ({
	models: [model],
	tasks: expandWorkload([{ kind: 'batch', models: [model.id], count }])
});

const run = (w: Workload, policy: LoadingPolicy, ceilingBytes = Infinity, cache: CacheKind = 'none', d = device) =>
	simulate(w, d, { ceilingBytes, policy, cache, scheduler: 'fifo' });

const spans = (r: SimulationResult, kind: string) =>
	r.intervals.filter((i) => i.kind === kind).map((i) => [i.layer, i.startMs, i.endMs]);

describe('policies on a hand case (2 layers, 100 ms loads, 50 ms executions)', () => {
	it('linear loads, executes and frees one layer at a time', () => {
		const r = run(one(twoLayers), { kind: 'linear' });
		expect(spans(r, 'load')).toEqual([[0, 0, 100], [1, 150, 250]]);
		expect(spans(r, 'execute')).toEqual([[0, 100, 150], [1, 250, 300]]);
		expect(summarize(r).peakMemoryBytes).toBe(100 + 10 + 10);
	});
	it('interleaved prefetches the next layer while the current one runs', () => {
		const r = run(one(twoLayers), { kind: 'interleaved', lookahead: 1 });
		expect(spans(r, 'load')).toEqual([[0, 0, 100], [1, 100, 200]]);
		expect(spans(r, 'execute')).toEqual([[0, 100, 150], [1, 200, 250]]);
	});
	it('bulk loads everything before executing and holds it all', () => {
		const r = run(one(twoLayers), { kind: 'bulk' });
		expect(spans(r, 'execute')).toEqual([[0, 200, 250], [1, 250, 300]]);
		expect(summarize(r).peakMemoryBytes).toBe(200 + 20);
	});
	it('partial keeps the prefix within budget and streams the rest', () => {
		const r = run(one(twoLayers), { kind: 'partial', budgetBytes: 100, lookahead: 1 });
		expect(spans(r, 'execute')).toEqual([[0, 100, 150], [1, 200, 250]]);
	});
	it('the ceiling holds interleaved back to linear when two layers do not fit', () => {
		const r = run(one(twoLayers), { kind: 'interleaved', lookahead: 1 }, 100 + 20);
		expect(spans(r, 'load')).toEqual([[0, 0, 100], [1, 150, 250]]);
		expect(r.swaps).toEqual([]);
	});
	it('bulk over the ceiling swaps, pays a reload penalty and says so', () => {
		const r = run(one(twoLayers), { kind: 'bulk' }, 150);
		expect(r.swaps.length).toBeGreaterThan(0);
		// 200 B of weights + 20 B of activations against 150 B: 70 B over, read back at 1 B/ms
		expect(r.swaps[0].overflowBytes).toBe(70);
		expect(r.swaps[0].penaltyMs).toBeCloseTo(70);
		expect(summarize(r).makespanMs).toBeGreaterThan(300);
	});
	it('takes a policy per model, with a default for the rest', () => {
		const other: ModelSpec = { ...twoLayers, id: 'n' };
		const w: Workload = { models: [twoLayers, other], tasks: expandWorkload([{ kind: 'pipeline', stages: ['m', 'n'], count: 1 }]) };
		const r = simulate(w, device, { ceilingBytes: Infinity, policy: { m: { kind: 'bulk' }, default: { kind: 'linear' } }, cache: 'none', scheduler: 'fifo' });
		const execs = r.intervals.filter((i) => i.kind === 'execute').map((i) => [i.model, i.startMs]);
		expect(execs).toEqual([['m', 200], ['m', 250], ['n', 400], ['n', 550]]);
	});
	it('charges idle power over the makespan plus busy power per lane', () => {
		const r = run(one(twoLayers), { kind: 'linear' });
		// idle 1 W × 300 ms + compute 2 W × 100 ms + storage 0.5 W × 200 ms = 300 + 200 + 100 mJ
		expect(r.energyMillijoules).toBeCloseTo(600);
		expect(r.tasks[0].energyMillijoules).toBeCloseTo(300);
	});
});

describe('scheduling', () => {
	const long: ModelSpec = { id: 'long', layers: [{ name: 'l', weightBytes: 0, outputBytes: 0, computeMs: 100 }] };
	const short: ModelSpec = { id: 'short', layers: [{ name: 's', weightBytes: 0, outputBytes: 0, computeMs: 10 }] };
	const streams: StreamSpec[] = [
		{ kind: 'batch', name: 'bg', models: ['long'], count: 1, deadlineMs: 500, priority: 0 },
		{ kind: 'batch', name: 'urgent', models: ['short'], count: 1, deadlineMs: 50, priority: 5 }
	];
	const w: Workload = { models: [long, short], tasks: expandWorkload(streams) };
	const misses = (scheduler: 'fifo' | 'edf' | 'priority') =>
		simulate(w, device, { ceilingBytes: Infinity, policy: { kind: 'linear' }, cache: 'none', scheduler })
			.tasks.filter((t) => t.missedDeadline).map((t) => t.id);
	it('FIFO misses the tight deadline that EDF and priority meet', () => {
		expect(misses('fifo')).toEqual(['urgent#0']);
		expect(misses('edf')).toEqual([]);
		expect(misses('priority')).toEqual([]);
	});
	it('a pipeline runs its stages in order, each after the previous one ends', () => {
		const p: Workload = { models: [long, short], tasks: expandWorkload([{ kind: 'pipeline', stages: ['long', 'short'], count: 2, periodMs: 0 }]) };
		const r = simulate(p, device, { ceilingBytes: Infinity, policy: { kind: 'bulk' }, cache: 'none', scheduler: 'fifo' });
		expect(r.tasks.map((t) => t.finishMs)).toEqual([110, 220]);
	});
});

describe('cache across tasks', () => {
	const a: ModelSpec = { id: 'a', layers: [{ name: 'a0', weightBytes: 100, outputBytes: 0, computeMs: 1 }] };
	const b: ModelSpec = { id: 'b', layers: [{ name: 'b0', weightBytes: 100, outputBytes: 0, computeMs: 1 }] };
	const c: ModelSpec = { id: 'c', layers: [{ name: 'c0', weightBytes: 100, outputBytes: 0, computeMs: 1 }] };
	// Room for two models. a, a, b, then c evicts one, then a and b again.
	const sequence = ['a', 'a', 'b', 'c', 'a', 'b'];
	const w: Workload = {
		models: [a, b, c],
		tasks: sequence.map((id, i) => ({ id: `t${i}`, stream: 's', arrivalMs: 0, stages: [id], priority: 0 }))
	};
	const stats = (cache: CacheKind) => run(w, { kind: 'bulk' }, 200, cache).cache;
	it('none reloads every time', () => expect(stats('none')).toMatchObject({ hits: 0, misses: 6 }));
	it('LRU evicts a (least recent) for c, so a misses and then b misses too', () => {
		// a miss, a hit, b miss, c miss (evicts a), a miss (evicts b), b miss (evicts c)
		expect(stats('lru')).toMatchObject({ hits: 1, misses: 5, evictions: 3 });
	});
	it('LFU evicts b (used once) for c, keeping a (used twice)', () => {
		// a miss, a hit, b miss, c miss (evicts b: 1 use), a hit, b miss (evicts c: 1 use, b now has 2)
		expect(stats('lfu')).toMatchObject({ hits: 2, misses: 4 });
	});
	it('never exceeds the ceiling with any cache', () => {
		for (const kind of ['lru', 'lfu', 'size-aware'] as const) {
			expect(summarize(run(w, { kind: 'bulk' }, 200, kind)).peakMemoryBytes).toBeLessThanOrEqual(200);
		}
	});
});

// ---- properties ----

const params = { seed: 20240501, numRuns: 150 };

describe('simulator invariants (property-based, seeded)', () => {
	it('never executes a layer before its load (and any swap-in) has ended, and lanes never overlap', () => {
		fc.assert(
			fc.property(scenarioArb, (s) => {
				const r = simulate(workloadOf(s), { ...device, storageLatencyMs: s.latency }, { ceilingBytes: ceilingOf(s), policy: s.policy, cache: s.cache, scheduler: s.scheduler });
				const readyAt = new Map<string, number>();
				for (const iv of r.intervals) {
					const key = `${iv.taskId}|${iv.model}|${iv.layer}`;
					if (iv.lane === 'storage') readyAt.set(key, Math.max(readyAt.get(key) ?? 0, iv.endMs));
					else expect(iv.startMs).toBeGreaterThanOrEqual(readyAt.get(key) ?? 0);
				}
				for (const lane of ['storage', 'compute']) {
					const ivs = r.intervals.filter((i) => i.lane === lane).sort((a, b) => a.startMs - b.startMs);
					for (let i = 1; i < ivs.length; i++) expect(ivs[i].startMs).toBeGreaterThanOrEqual(ivs[i - 1].endMs - 1e-9);
				}
			}),
			params
		);
	});

	it('memory stays under the ceiling unless the run reports swapping, and returns to zero without a cache', () => {
		fc.assert(
			fc.property(scenarioArb, (s) => {
				const r = simulate(workloadOf(s), device, { ceilingBytes: ceilingOf(s), policy: s.policy, cache: s.cache, scheduler: s.scheduler });
				if (r.swaps.length === 0) expect(summarize(r).peakMemoryBytes).toBeLessThanOrEqual(ceilingOf(s));
				if (s.cache === 'none') expect(r.memory[r.memory.length - 1].bytes).toBe(0);
				expect(Math.min(...r.memory.map((p) => p.bytes))).toBeGreaterThanOrEqual(0);
			}),
			params
		);
	});

	it('with no ceiling and free storage every policy gives the same times', () => {
		const free: DeviceSpec = { ...device, storageBandwidthBytesPerSecond: Infinity, storageLatencyMs: 0 };
		fc.assert(
			fc.property(scenarioArb, fc.array(policyArb, { minLength: 2, maxLength: 4 }), (s, policies) => {
				const finishes = policies.map((policy) =>
					simulate(workloadOf(s), free, { ceilingBytes: Infinity, policy, cache: s.cache, scheduler: s.scheduler }).tasks.map((t) => t.finishMs)
				);
				for (const f of finishes) expect(f).toEqual(finishes[0]);
			}),
			params
		);
	});

	it('interleaved is never slower than linear (no cache, FIFO)', () => {
		fc.assert(
			fc.property(scenarioArb, fc.integer({ min: 1, max: 5 }), (s, lookahead) => {
				const options = { ceilingBytes: ceilingOf(s), cache: 'none' as const, scheduler: 'fifo' as const };
				const d = { ...device, storageLatencyMs: s.latency };
				const lin = simulate(workloadOf(s), d, { ...options, policy: { kind: 'linear' } });
				const int = simulate(workloadOf(s), d, { ...options, policy: { kind: 'interleaved', lookahead } });
				lin.tasks.forEach((t, i) => expect(int.tasks[i].finishMs).toBeLessThanOrEqual(t.finishMs + 1e-9));
				expect(summarize(int).computeBusyMs).toBeCloseTo(summarize(lin).computeBusyMs);
			}),
			params
		);
	});

	it('is deterministic for a seed', () => {
		fc.assert(
			fc.property(scenarioArb, (s) => {
				const options = { ceilingBytes: ceilingOf(s), policy: s.policy, cache: s.cache, scheduler: s.scheduler };
				expect(simulate(workloadOf(s), device, options)).toEqual(simulate(workloadOf(s), device, options));
			}),
			{ ...params, numRuns: 40 }
		);
	});
});
