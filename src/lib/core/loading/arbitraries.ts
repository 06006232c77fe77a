/**
 * fast-check arbitraries for the loading simulator's property tests (tests only: this module imports a dev
 * dependency): small random models, policies, workloads and ceilings that often bind.
 */
import fc from 'fast-check';
import { peakActivationBytes, type Workload } from './simulator';
import type { CacheKind, DeviceSpec, LoadingPolicy, ModelSpec } from './types';
import { expandWorkload } from './workload';

/** A toy device: 1 B/ms storage, so loads are long against compute and policies differ. */
export const toyDevice: DeviceSpec = {
	id: 'toy',
	storageBandwidthBytesPerSecond: 1000,
	storageLatencyMs: 0,
	macsPerSecond: 1e6,
	idlePowerWatts: 1,
	computePowerWatts: 2,
	storagePowerWatts: 0.5
};

const layerArb = fc.record({
	name: fc.constant('x'),
	weightBytes: fc.integer({ min: 0, max: 400 }),
	outputBytes: fc.integer({ min: 0, max: 100 }),
	computeMs: fc.integer({ min: 0, max: 20 })
});
const modelsArb = fc.array(fc.array(layerArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })
	.map((ls) => ls.map((layers, i): ModelSpec => ({ id: `m${i}`, layers, inputBytes: 20 })));
export const policyArb: fc.Arbitrary<LoadingPolicy> = fc.oneof(
	fc.constant({ kind: 'bulk' } as const),
	fc.constant({ kind: 'linear' } as const),
	fc.integer({ min: 1, max: 4 }).map((lookahead) => ({ kind: 'interleaved', lookahead }) as const),
	fc.record({ budgetBytes: fc.integer({ min: 0, max: 1000 }), lookahead: fc.integer({ min: 1, max: 3 }) }).map((p) => ({ kind: 'partial', ...p }) as const)
);
export const scenarioArb = fc.record({
	models: modelsArb,
	seed: fc.integer({ min: 1, max: 1000 }),
	count: fc.integer({ min: 1, max: 8 }),
	rate: fc.integer({ min: 1, max: 50 }),
	/** Added to the least a model needs (largest layer + peak activation), so the ceiling often binds. */
	ceilingSlack: fc.integer({ min: -50, max: 800 }),
	policy: policyArb,
	cache: fc.constantFrom<CacheKind>('none', 'lru', 'lfu', 'size-aware'),
	scheduler: fc.constantFrom('fifo', 'priority', 'edf' as const),
	latency: fc.integer({ min: 0, max: 5 })
});
export type ScenarioCase = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** A Poisson stream over the models (deadline 200 ms) and two pipeline passes through all of them. */
export const workloadOf = (s: { models: ModelSpec[]; seed: number; count: number; rate: number }): Workload => ({
	models: s.models,
	tasks: expandWorkload(
		[
			{ kind: 'poisson', ratePerSecond: s.rate, count: s.count, models: s.models.map((m) => m.id), deadlineMs: 200 },
			{ kind: 'pipeline', stages: s.models.map((m) => m.id), count: 2, periodMs: 30, priority: 1 }
		],
		s.seed
	)
});

/** The least any model needs (its largest layer + peak activation) plus the case's slack. */
export const ceilingOf = (s: { models: ModelSpec[]; ceilingSlack: number }): number =>
	Math.max(...s.models.map((m) => Math.max(...m.layers.map((l) => l.weightBytes)) + peakActivationBytes(m))) + s.ceilingSlack;
