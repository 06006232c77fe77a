/**
 * The default scenario. The URL stores only fields that differ from these, so changing a default changes
 * what old links mean: only change a default together with a new scenario version and a migration.
 */
import type { Scenario, ScenarioBody } from './schema.ts';
import { SCENARIO_VERSION } from './schema.ts';

/**
 * The notebook cells a new visitor sees open (since format version 2; version 1's default was `['model']`, and
 * its migration keeps that for version 1 links). Every cell the notebook had when version 2 was issued, so the page reads top to
 * bottom; a cell added later starts closed unless a new version adds it here (with a migration).
 */
export const DEFAULT_OPEN_CELLS: readonly string[] = [
	'model',
	'arena',
	'order',
	'device',
	'quantization',
	'pruning',
	'fusion',
	'sharing',
	'runtimes',
	'sweep',
	'loading',
	'workloads',
	'tiling'
];

/** A fresh copy of the default scenario body (safe to mutate). */
export function defaultBody(): ScenarioBody {
	return {
		model: { kind: 'zoo', id: 'ppocr-mobile-v2-cls' },
		dims: {},
		transforms: {
			quantize: 'none',
			perChannel: false,
			calibration: 'minmax',
			prune: { mode: 'none', sparsity: 0.5 },
			fuse: false,
			share: { bits: 0 }
		},
		device: { profile: 'esp32-s3', edits: {} },
		ceilingBytes: null,
		planner: 'greedy-by-size',
		order: 'model',
		policy: { kind: 'bulk', lookahead: 1, budgetBytes: null },
		workload: {
			kind: 'single',
			models: [],
			ratePerSecond: 1,
			requests: 100,
			scheduler: 'fifo',
			cache: 'none',
			devices: 1
		},
		// Since version 3: the first 8 layers in a 3×3 grid over a 100 Mbit/s link (version 2 had 1 layer, 1×1, 1 Mbit/s).
		tiling: {
			layers: [0, 7],
			grid: [3, 3],
			devices: 1,
			linkBitsPerSecond: 1e8,
			network: 'reference',
			gateway: true,
			profiles: []
		},
		cells: [...DEFAULT_OPEN_CELLS],
		hide: [],
		seed: 1
	};
}

/** A fresh copy of the default scenario (safe to mutate). */
export function defaultScenario(): Scenario {
	return { v: SCENARIO_VERSION, ...defaultBody(), baseline: null };
}

/** The default scenario, frozen deeply; use `defaultScenario()` when you need a copy to change. */
export const DEFAULT_SCENARIO: Readonly<Scenario> = deepFreeze(defaultScenario());

function deepFreeze<T>(x: T): T {
	if (x && typeof x === 'object') {
		for (const value of Object.values(x)) deepFreeze(value);
		Object.freeze(x);
	}
	return x;
}
