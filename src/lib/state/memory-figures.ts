/**
 * The memory and cost figures of one scenario, as plain functions over the worker's `MemoryData`:
 * which profile (built-in, calibrated, edited), the ledger and verdict under the ceiling, and the
 * latency and energy estimates. `memory.svelte.ts` calls these inside `$derived`; tests call them directly.
 */
import { browserProfile, type BrowserMeasurement } from '../core/devices/calibrate';
import { applyEdits } from '../core/devices/edits';
import { estimateEnergy, type EnergyEstimate } from '../core/devices/energy';
import { estimateLatency, type LatencyEstimate } from '../core/devices/latency';
import { deviceById, ramBytes } from '../core/devices/profiles';
import { validateProfile } from '../core/devices/schema';
import type { DeviceProfile } from '../core/devices/types';
import { buildLedger, type Ledger } from '../core/memory/ledger';
import type { ActivationBuffer } from '../core/memory/lifetimes';
import type { MeasuredHeap } from '../core/memory/measured';
import { plannerById, planners } from '../core/memory/planners/index';
import type { MemoryData, OrderData } from '../workers/memory-data';

/** Planner ids older scenarios (and the scenario's default) use for the registry's ids. */
const PLANNER_ALIASES: Record<string, string> = { 'greedy-by-size': 'greedy-size', greedy: 'greedy-size' };
export const DEFAULT_PLANNER = 'greedy-size';
/** TFLite Micro aligns arena buffers to 16 bytes; the page models the same. */
export const ALIGNMENT_BYTES = 16;

/** The registry id a scenario's planner field means (unknown ids fall back to greedy by size). */
export function resolvePlannerId(id: string): string {
	const key = PLANNER_ALIASES[id] ?? id;
	return plannerById(key) ? key : DEFAULT_PLANNER;
}

export interface ResolvedProfile {
	/** The profile the figures use: edits applied when they validate, else the unedited one. */
	profile: DeviceProfile;
	/** Problems `validateProfile` found in the edited profile (empty when the edits are valid). */
	issues: string[];
	/** Edit paths that name no figure of this profile. */
	unknownEdits: string[];
	/** False when the scenario names a profile that does not exist (the Cortex-M4 is used). */
	known: boolean;
}

/** The device profile of a scenario; "this browser" is calibrated from `measurement` when given. */
export function resolveProfile(id: string, edits: Readonly<Record<string, number>>, measurement?: BrowserMeasurement): ResolvedProfile {
	const builtIn = id === 'browser' ? browserProfile(measurement) : deviceById(id);
	const base = builtIn ?? deviceById('cortex-m4')!;
	const { profile, unknown } = applyEdits(base, edits);
	const checked = validateProfile(profile);
	return checked.ok
		? { profile: checked.profile, issues: [], unknownEdits: unknown, known: Boolean(builtIn) }
		: { profile: base, issues: checked.issues, unknownEdits: unknown, known: Boolean(builtIn) };
}

export interface ScenarioFigures {
	deviceId: string;
	deviceName: string;
	plannerId: string;
	ceilingBytes: number;
	ledger: Ledger;
	latency: LatencyEstimate;
	energy: EnergyEstimate;
	/** The writable tier the arena lives in (the first that holds it). */
	activationTier: string;
	/** Reading the weights from storage once at start-up (0 when executed in place), seconds. */
	coldStartLoadSeconds: number;
}

/**
 * Ledger, verdict and estimates of one scenario, the way `tightfit simulate` computes them. Pure.
 * `heap`: the WASM heap measured in this browser, shown as measured rows when the profile is "this browser".
 */
export function scenarioFigures(data: MemoryData, order: OrderData, profile: DeviceProfile, plannerId: string, ceilingBytes: number, heap?: MeasuredHeap | null): ScenarioFigures {
	const ledger = buildLedger({
		buffers: order.buffers,
		weightBytes: data.weightBytes,
		largestLayerWeightBytes: data.largestLayerWeightBytes,
		weightedOps: data.ops.filter((o) => o.weightBytes > 0).length,
		profile,
		plannerId,
		ceilingBytes,
		plannerOptions: { alignmentBytes: ALIGNMENT_BYTES },
		heap: profile.family === 'browser' ? heap : null
	});
	const writable = profile.memoryTiers.filter((t) => !t.readOnly);
	const arenaTier = writable.find((t) => t.capacityBytes.value >= ledger.plan.arenaBytes) ?? writable[writable.length - 1];
	const flash = profile.memoryTiers.find((t) => t.readOnly);
	const placement = { weightTier: profile.executeInPlace.value && flash ? flash.id : writable[0].id, activationTier: arenaTier.id };
	const loadBytes = ledger.verdict.status === 'fits-streaming' ? data.weightBytes : 0;
	const latency = estimateLatency(data.ops, profile, { placement, loadBytes });
	const energy = estimateEnergy(data.ops, profile, latency, { placement, loadBytes });
	const coldStartLoadSeconds = profile.executeInPlace.value ? 0 : profile.storage.latencySeconds.value + data.weightBytes / profile.storage.readBandwidthBytesPerSecond.value;
	return { deviceId: profile.id, deviceName: profile.name, plannerId, ceilingBytes, ledger, latency, energy, activationTier: arenaTier.name, coldStartLoadSeconds };
}

/** The buffers a planner places for this profile: intermediates, plus model I/O when the runtime puts it in the arena. */
export function plannedBuffers(buffers: readonly ActivationBuffer[], ioInArena: boolean): ActivationBuffer[] {
	return ioInArena ? [...buffers] : buffers.filter((b) => b.role === 'intermediate');
}

export interface PlannerRow {
	id: string;
	name: string;
	kind: 'planner' | 'bound';
	explanation: string;
	arenaBytes: number;
	/** arenaBytes / lower bound (1 = optimal for this order). */
	ratio: number;
	/** The planner's whole answer, with its report fields (heap steps, size classes…). */
	plan: ReturnType<(typeof planners)[number]['plan']>;
}

/** Every planner of the registry over the same buffers, with its ratio to the lower bound. */
export function plannerTable(buffers: readonly ActivationBuffer[]): PlannerRow[] {
	const plans = planners.map((p) => ({ info: p, plan: p.plan(buffers, { alignmentBytes: ALIGNMENT_BYTES }) }));
	const bound = plans.find((p) => p.info.id === 'lower-bound')?.plan.arenaBytes ?? 0;
	return plans.map(({ info, plan }) => ({
		id: info.id, name: info.name, kind: info.kind, explanation: info.explanation, arenaBytes: plan.arenaBytes,
		ratio: bound > 0 ? plan.arenaBytes / bound : 1, plan
	}));
}

/** The writable RAM of a profile: the ceiling when the scenario leaves it at null. */
export function defaultCeiling(profile: DeviceProfile): number {
	return ramBytes(profile);
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** '256 KB', '1.5MiB', '4096' → bytes (KB and KiB both 1024, as MCU datasheets use them); null when unreadable. */
export function parseByteSize(text: string): number | null {
	const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
	const unit = m ? BYTE_UNITS[m[2].toLowerCase()] : undefined;
	return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : null;
}
