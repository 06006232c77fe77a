/**
 * From the scenario to what the loading simulator needs: the four policies compared (with the scenario's
 * lookahead and budget), the workload's streams, the device and the ceiling. Pure, so it is unit-tested
 * without a page.
 */
import { applyEdits } from '../core/devices/edits';
import { deviceById, ramBytes } from '../core/devices/profiles';
import type { DeviceProfile } from '../core/devices/types';
import { deviceFromProfile } from '../core/loading/adapters';
import type { CacheKind, DeviceSpec, LoadingPolicy, SchedulerKind } from '../core/loading/types';
import type { StreamSpec } from '../core/loading/workload';
import type { Scenario } from '../core/scenario/schema';
import { uploadWorkloadId } from './loading-uploads';

export const MIB = 2 ** 20;

/** The zoo pipelines a workload can run (their stages, as in models/manifest.json). */
export const WORKLOAD_PRESETS = [
	{ id: 'ppocr', label: 'OCR: detect → orientation → recognize', models: ['ppocr-v4-det', 'ppocr-mobile-v2-cls', 'ppocr-v4-rec'] },
	{ id: 'openwakeword', label: 'Wake word: mel → embedding → head', models: ['oww-melspectrogram', 'oww-embedding', 'oww-hey-jarvis'] }
] as const;

/** The scenario's cache names → the simulator's. */
export function coreCache(cache: Scenario['workload']['cache']): CacheKind {
	return cache === 'size' ? 'size-aware' : cache;
}

/** The profile with the scenario's edits applied (the built-in profile when the id is unknown: esp32-s3). */
export function profileOf(scenario: Scenario): DeviceProfile {
	const base = deviceById(scenario.device.profile) ?? deviceById('esp32-s3')!;
	return applyEdits(base, scenario.device.edits).profile;
}

/** The scenario's ceiling, or the device's RAM when it sets none. */
export function ceilingOf(scenario: Scenario, profile: DeviceProfile = profileOf(scenario)): number {
	return scenario.ceilingBytes ?? ramBytes(profile);
}

/**
 * The four policies the table compares. Interleaved needs at least one layer of lookahead; partial's budget
 * is the scenario's, else half the ceiling (the CLI's default), else 4 MiB for an unlimited ceiling.
 */
export function comparedPolicies(scenario: Scenario, ceilingBytes: number): LoadingPolicy[] {
	const lookahead = Math.max(1, scenario.policy.lookahead);
	const budgetBytes = scenario.policy.budgetBytes ?? (Number.isFinite(ceilingBytes) ? Math.floor(ceilingBytes / 2) : 4 * MIB);
	return [{ kind: 'bulk' }, { kind: 'linear' }, { kind: 'interleaved', lookahead }, { kind: 'partial', budgetBytes, lookahead }];
}

export interface WorkloadInputs {
	/** Model ids the workload runs (zoo ids, and `upload:<sha256 prefix>` for uploads), in order of first use. */
	models: string[];
	streams: StreamSpec[];
	/** In words, for the figure captions. */
	description: string;
}

/** The model the model cell names, as a workload id (the orientation classifier for a multi-file upload not yet hashed). */
export function singleModelId(scenario: Scenario): string {
	const m = scenario.model;
	if (m.kind === 'zoo') return m.id;
	return /^0+$/.test(m.sha256) ? 'ppocr-mobile-v2-cls' : uploadWorkloadId(m.sha256);
}

/** The models the workload names: `single` runs the model cell's model; an empty list is the OCR preset. */
export function workloadModels(scenario: Scenario): string[] {
	const w = scenario.workload;
	if (w.kind === 'single') return [singleModelId(scenario)];
	return w.models.length ? [...w.models] : [...WORKLOAD_PRESETS[0].models];
}

/**
 * The workload's streams over its models minus `exclude` (uploads this browser lacks). `single`: one pass of
 * the model cell's model. `pipeline`: `requests` passes
 * through the models, one every 1/rate s, each due within three periods. `batch`: `requests` one-model tasks
 * cycling through the models, all at once. `poisson`: `requests` tasks at `ratePerSecond`, each a pass
 * through the models, due within three mean gaps.
 */
export function workloadOf(scenario: Scenario, exclude: ReadonlySet<string> = new Set()): WorkloadInputs {
	const w = scenario.workload;
	const models = workloadModels(scenario).filter((id) => !exclude.has(id));
	if (models.length === 0) return { models, streams: [], description: 'no model' };
	if (w.kind === 'single') {
		const id = models[0];
		return { models: [id], streams: [{ kind: 'pipeline', name: 'single', stages: [id], count: 1 }], description: `one pass of ${id}` };
	}
	const rate = w.ratePerSecond > 0 ? w.ratePerSecond : 1;
	const periodMs = 1000 / rate;
	const n = w.requests;
	if (w.kind === 'pipeline') {
		return {
			models,
			streams: [{ kind: 'pipeline', name: 'pipeline', stages: models, count: n, periodMs, deadlineMs: 3 * periodMs }],
			description: `${n} passes through ${models.join(' → ')}, ${rate}/s, each due within ${Math.round(3 * periodMs)} ms`
		};
	}
	if (w.kind === 'batch') {
		return { models, streams: [{ kind: 'batch', name: 'batch', models, count: n }], description: `a batch of ${n} one-model tasks cycling through ${models.join(', ')}` };
	}
	return {
		models,
		streams: [{ kind: 'poisson', name: 'poisson', ratePerSecond: rate, count: n, stages: models, deadlineMs: 3 * periodMs }],
		description: `${n} Poisson arrivals at ${rate}/s through ${models.join(' → ')}, each due within ${Math.round(3 * periodMs)} ms`
	};
}

export interface SimulationInputs {
	workload: WorkloadInputs;
	profile: DeviceProfile;
	device: DeviceSpec;
	ceilingBytes: number;
	policies: LoadingPolicy[];
	detailIndex: number;
	cache: CacheKind;
	scheduler: SchedulerKind;
	/** Identical devices of `profile` sharing the workload. */
	devices: number;
	seed: number;
}

export function simulationInputs(scenario: Scenario, exclude: ReadonlySet<string> = new Set()): SimulationInputs {
	const profile = profileOf(scenario);
	const ceilingBytes = ceilingOf(scenario, profile);
	const policies = comparedPolicies(scenario, ceilingBytes);
	return {
		workload: workloadOf(scenario, exclude),
		profile,
		device: deviceFromProfile(profile),
		ceilingBytes,
		policies,
		detailIndex: policies.findIndex((p) => p.kind === scenario.policy.kind),
		cache: coreCache(scenario.workload.cache),
		scheduler: scenario.workload.scheduler,
		devices: scenario.workload.devices,
		seed: scenario.seed
	};
}
