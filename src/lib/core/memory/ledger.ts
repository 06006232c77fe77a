/**
 * The footprint ledger: where every byte of one inference goes on a device, each term labelled
 * measured or modelled with its basis, and the verdict under a memory ceiling.
 */
import { ramBytes } from '../devices/profiles';
import type { DeviceProfile } from '../devices/types';
import type { ActivationBuffer } from './lifetimes';
import { plannerById, type PlannerOptions } from './planners/index';
import { liveBytesByStep } from './planners/common';
import { measuredTerms, type MeasuredHeap, type MeasuredTerm } from './measured';
import type { ArenaPlan } from './types';

export interface LedgerTerm {
	id: 'weights' | 'arena' | 'io' | 'runtime' | 'scratch';
	label: string;
	/** Bytes this term needs in RAM (weights executed in place from flash count 0 here). */
	bytes: number;
	kind: 'measured' | 'modelled';
	basis: string;
}

export type Verdict =
	| { status: 'fits'; ramBytes: number; ceilingBytes: number; headroomBytes: number }
	| { status: 'fits-streaming'; ramBytes: number; ceilingBytes: number; streamedBytes: number; penaltySeconds: number; basis: string }
	| { status: 'does-not-fit'; ramBytes: number; ceilingBytes: number; tensor: string | null; step: number | null; overBytes: number; reason: string };

export interface Ledger {
	terms: LedgerTerm[];
	/** Σ term bytes: RAM one inference needs with weights resident (or in flash when in place). */
	ramBytes: number;
	plan: ArenaPlan;
	verdict: Verdict;
	/** The WASM heap measured in this browser, beside the modelled terms (not added to `ramBytes`); empty when not run. */
	measured: MeasuredTerm[];
	/** Σ measured growth: the heap one session needed in this browser, or null when not measured. */
	measuredBytes: number | null;
}

export interface LedgerInput {
	buffers: readonly ActivationBuffer[];
	weightBytes: number;
	largestLayerWeightBytes: number;
	/** Number of operators that read weights: one storage access each when streaming. */
	weightedOps?: number;
	profile: DeviceProfile;
	plannerId: string;
	plannerOptions?: PlannerOptions;
	/** Defaults to the profile's writable RAM. */
	ceilingBytes?: number;
	/** Kernel scratch (im2col and the like), modelled by the caller; 0 when not given. */
	scratchBytes?: number;
	/** Figures measured in this browser, which replace the modelled ones. */
	measured?: Partial<Record<LedgerTerm['id'], { bytes: number; basis: string }>>;
	/** onnxruntime-web's WASM heap around a run in this browser: shown as measured rows beside the modelled ones. */
	heap?: MeasuredHeap | null;
}

/**
 * Plans already made, by buffer list (identity) and planner, I/O placement and options. Planners are pure and
 * plans are never changed after the fact, so moving the ceiling or switching to a device with the same runtime
 * reuses the plan instead of re-planning inside the slider's frame. Keyed weakly: a new model's buffers start afresh.
 */
const planCache = new WeakMap<readonly ActivationBuffer[], Map<string, ArenaPlan>>();

function cachedPlan(buffers: readonly ActivationBuffer[], key: string, make: () => ArenaPlan): ArenaPlan {
	let plans = planCache.get(buffers);
	if (!plans) planCache.set(buffers, (plans = new Map()));
	let plan = plans.get(key);
	if (!plan) plans.set(key, (plan = make()));
	return plan;
}

/**
 * Builds the ledger. The arena holds the intermediate buffers, plus the model I/O when the profile's
 * runtime places it there (TFLM); otherwise I/O is its own term.
 * @throws Error naming the planner id when it is unknown.
 */
export function buildLedger(input: LedgerInput): Ledger {
	const { profile } = input;
	const planner = plannerById(input.plannerId);
	if (!planner) throw new Error(`unknown planner '${input.plannerId}'`);
	const ioInArena = profile.runtime.ioInArena;
	const planned = ioInArena ? input.buffers : input.buffers.filter((b) => b.role === 'intermediate');
	const ioBytes = ioInArena ? 0 : input.buffers.filter((b) => b.role !== 'intermediate').reduce((s, b) => s + b.sizeBytes, 0);
	const key = `${planner.id}|${ioInArena}|${JSON.stringify(input.plannerOptions ?? {})}`;
	const plan = cachedPlan(input.buffers, key, () => planner.plan(planned, input.plannerOptions));
	const xip = profile.executeInPlace.value;
	const modelled: LedgerTerm[] = [
		{ id: 'weights', label: 'Weights', bytes: xip ? 0 : input.weightBytes, kind: 'modelled', basis: xip ? `${input.weightBytes} B executed in place from flash (${profile.executeInPlace.source ?? profile.executeInPlace.derivation})` : `${input.weightBytes} B resident in RAM` },
		{ id: 'arena', label: 'Activation arena', bytes: plan.arenaBytes, kind: 'modelled', basis: `${planner.name} over ${planned.length} buffers${ioInArena ? ', model I/O included' : ''}` },
		{ id: 'io', label: 'Model I/O buffers', bytes: ioBytes, kind: 'modelled', basis: ioInArena ? `inside the arena (${profile.runtime.name})` : 'graph inputs + outputs, held by the caller' },
		{ id: 'runtime', label: `Runtime (${profile.runtime.name})`, bytes: profile.runtime.overheadBytes.value, kind: 'modelled', basis: profile.runtime.overheadBytes.source ?? profile.runtime.overheadBytes.derivation ?? '' },
		{ id: 'scratch', label: 'Kernel scratch', bytes: input.scratchBytes ?? 0, kind: 'modelled', basis: input.scratchBytes === undefined ? 'not modelled (0 B)' : 'given by the caller' }
	];
	const terms = modelled.map((t) => {
		const m = input.measured?.[t.id];
		return m ? { ...t, bytes: m.bytes, kind: 'measured' as const, basis: m.basis } : t;
	});
	const total = terms.reduce((s, t) => s + t.bytes, 0);
	const ceilingBytes = input.ceilingBytes ?? ramBytes(profile);
	const measured = measuredTerms(input.heap);
	const measuredBytes = measured.length ? measured.reduce((s, t) => s + t.bytes, 0) : null;
	return { terms, ramBytes: total, plan, verdict: verdictOf(input, terms, total, ceilingBytes, plan, planned), measured, measuredBytes };
}

function verdictOf(input: LedgerInput, terms: LedgerTerm[], total: number, ceilingBytes: number, plan: ArenaPlan, planned: readonly ActivationBuffer[]): Verdict {
	if (total <= ceilingBytes) return { status: 'fits', ramBytes: total, ceilingBytes, headroomBytes: ceilingBytes - total };
	const byId = Object.fromEntries(terms.map((t) => [t.id, t.bytes]));
	const weightsInRam = byId.weights > 0;
	// Streaming keeps one layer's weights in RAM and reads the rest from storage on every inference.
	const streamingBytes = total - byId.weights + (weightsInRam ? input.largestLayerWeightBytes : 0);
	const { storage } = input.profile;
	if (weightsInRam && streamingBytes <= ceilingBytes) {
		const penaltySeconds = (input.weightedOps ?? 1) * storage.latencySeconds.value + input.weightBytes / storage.readBandwidthBytesPerSecond.value;
		return {
			status: 'fits-streaming', ramBytes: streamingBytes, ceilingBytes, streamedBytes: input.weightBytes, penaltySeconds,
			basis: `per inference: ${input.weightedOps ?? 1} reads × ${storage.latencySeconds.value} s + ${input.weightBytes} B / ${storage.readBandwidthBytesPerSecond.value} B/s (${storage.name})`
		};
	}
	const fixed = Math.min(total, streamingBytes) - byId.arena;
	const budget = ceilingBytes - fixed;
	const over = { ramBytes: Math.min(total, streamingBytes), ceilingBytes, overBytes: Math.min(total, streamingBytes) - ceilingBytes };
	if (budget <= 0) return { status: 'does-not-fit', ...over, tensor: null, step: null, reason: `weights, I/O, runtime and scratch alone need ${fixed} B` };
	// Where live bytes alone exceed the budget, that step and the largest tensor born there are the
	// cause whatever the planner; otherwise the planner's layout (fragmentation) is, so name its tensor.
	if (Object.keys(plan.offsets).length === 0 || Math.max(0, ...liveBytesByStep(planned)) > budget) return boundOffender(planned, budget, over);
	const offenders = planned
		.filter((b) => b.sizeBytes > 0 && (plan.offsets[b.id] ?? 0) + b.sizeBytes > budget)
		.sort((a, b) => a.firstStep - b.firstStep || b.sizeBytes - a.sizeBytes);
	const first = offenders[0] ?? null;
	return {
		status: 'does-not-fit', ...over, tensor: first?.id ?? null, step: first?.firstStep ?? null,
		reason: first ? `${first.id} (${first.sizeBytes} B at offset ${plan.offsets[first.id] ?? 0}) ends past the ${budget} B left for the arena at step ${first.firstStep}` : `the arena needs ${plan.arenaBytes} B of the ${budget} B left`
	};
}

/** For a bound (no offsets): the first step whose live bytes exceed the budget, and the largest tensor born there. */
function boundOffender(planned: readonly ActivationBuffer[], budget: number, over: { ramBytes: number; ceilingBytes: number; overBytes: number }): Verdict {
	const live = liveBytesByStep(planned);
	const step = live.findIndex((bytes) => bytes > budget);
	const born = planned.filter((b) => b.firstStep === step).sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
	return {
		status: 'does-not-fit', ...over, tensor: born?.id ?? null, step: step < 0 ? null : step,
		reason: step < 0 ? 'no step exceeds the budget' : `${live[step]} B live at step ${step} exceed the ${budget} B left for the arena`
	};
}
