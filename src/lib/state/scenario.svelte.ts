/**
 * The page's scenario: the single source of truth every cell reads and writes. The URL (url-sync.svelte.ts)
 * and IndexedDB (restore.svelte.ts) mirror it; cells never keep their own copy of a scenario field.
 *
 * Every write goes through a setter that says what kind of change it is: `discrete` (a toggle, a pick: one
 * history entry each, so back/forward walk through them) or `continuous` (a slider drag, typing: replaces the
 * current history entry). Writes that come from a decoded link or a restored save are marked `external`
 * and are never written back to the URL (the echo guard in url-sync).
 *
 * Setters validate their value with the scenario's own valibot schema; an invalid value is ignored (the
 * controls constrain input already, so this only guards against programming mistakes).
 */
import * as v from 'valibot';
import { DEFAULT_OPEN_CELLS, defaultScenario } from '../core/scenario/defaults';
import { jsonEqual } from '../core/scenario/equal';
import {
	BudgetSchema,
	CeilingSchema,
	DimsSchema,
	IdListSchema,
	IdSchema,
	ModelRefSchema,
	ScenarioSchema,
	type Calibration,
	type CacheKind,
	type LoadingPolicy,
	type ModelRef,
	type OperatorOrder,
	type PolicyKind,
	type PruneMode,
	type QuantizeMode,
	type Scenario,
	type ScenarioBody,
	type Scheduler,
	type ShareBits,
	type Tiling,
	type Workload,
	type WorkloadKind
} from '../core/scenario/schema';
import type { ChangeKind } from './history-policy';

export type { ChangeKind };
export { CONTROL_IDS } from '../core/lessons';

/** Who made a change: the person (written to the URL) or a link/save being applied (never written back). */
export type ChangeOrigin = 'user' | 'external';

export interface ScenarioChange {
	/** Increases by one with every change; url-sync and restore watch it. */
	seq: number;
	kind: ChangeKind;
	origin: ChangeOrigin;
}

/** `$state.snapshot` already returns a deep, plain (non-proxied) copy. */
const clone = <T>(x: T): T => $state.snapshot(x) as T;

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Makes `target` (a `$state` proxy) equal `source` by assigning only the leaves that differ, so only what
 * reads those leaves re-runs: moving the ceiling slider must not re-derive every cell's figures. Objects are
 * walked key by key (keys that `source` lacks are deleted: dims, device edits); arrays and values are
 * replaced whole when they differ.
 */
function reconcile(target: Record<string, unknown>, source: Record<string, unknown>): void {
	for (const key of Object.keys(target)) if (!(key in source)) delete target[key];
	for (const [key, value] of Object.entries(source)) {
		const current = target[key];
		if (isPlainObject(current) && isPlainObject(value)) reconcile(current, value);
		else if (!jsonEqual(current, value)) target[key] = value;
	}
}

export class ScenarioState {
	/** The scenario. Read freely; write only through the setters below. */
	current = $state<Scenario>(defaultScenario());
	/** The latest change (seq 0: nothing changed yet). */
	lastChange = $state.raw<ScenarioChange>({ seq: 0, kind: 'discrete', origin: 'external' });
	/** Non-blocking, plain-text notices about the scenario (bad link, storage problems…). Render as text. */
	notices = $state.raw<string[]>([]);

	/** A deep, non-reactive copy of the current scenario (for encoding, saving, posting to workers). */
	snapshot(): Scenario {
		return clone(this.current);
	}

	/**
	 * Changes the scenario with `mutate` (which edits a draft copy). Nothing happens when the result equals
	 * the current scenario or is not a valid scenario.
	 */
	update(mutate: (draft: Scenario) => void, kind: ChangeKind = 'discrete'): boolean {
		const draft = this.snapshot();
		mutate(draft);
		return this.#commit(draft, kind, 'user');
	}

	/** Replaces the whole scenario with one from a link or a save; it is not written back to the URL. */
	apply(scenario: Scenario, kind: ChangeKind = 'discrete'): boolean {
		return this.#commit(clone(scenario), kind, 'external');
	}

	/** Replaces the whole scenario as the person's own change (a lesson link clicked on the page, a reset). */
	replace(scenario: Scenario, kind: ChangeKind = 'discrete'): boolean {
		return this.#commit(clone(scenario), kind, 'user');
	}

	#commit(next: Scenario, kind: ChangeKind, origin: ChangeOrigin): boolean {
		const parsed = v.safeParse(ScenarioSchema, next);
		if (!parsed.success) return false;
		if (jsonEqual(parsed.output, $state.snapshot(this.current))) return false;
		reconcile(this.current as unknown as Record<string, unknown>, parsed.output as unknown as Record<string, unknown>);
		this.lastChange = { seq: this.lastChange.seq + 1, kind, origin };
		return true;
	}

	// Notices ---------------------------------------------------------------------------------------------

	addNotices(...messages: string[]): void {
		const fresh = messages.filter((m, i) => m && messages.indexOf(m) === i && !this.notices.includes(m));
		if (fresh.length) this.notices = [...this.notices, ...fresh];
	}

	dismissNotice(index: number): void {
		this.notices = this.notices.filter((_, i) => i !== index);
	}

	clearNotices(): void {
		this.notices = [];
	}

	// Teaching flag -----------------------------------------------------------------------------------------

	/** True when a lesson link hides this control. */
	isHidden(id: string): boolean {
		return this.current.hide.includes(id);
	}

	setHide(ids: string[]): void {
		if (v.is(IdListSchema, ids)) this.update((d) => void (d.hide = ids.filter((id, i) => ids.indexOf(id) === i)));
	}

	// Model and dims ----------------------------------------------------------------------------------------

	/** Picks a model; its dims start from the model's defaults. */
	setModel(ref: ModelRef, dims: Record<string, number> = {}): void {
		if (!v.is(ModelRefSchema, ref) || !v.is(DimsSchema, dims)) return;
		this.update((d) => {
			d.model = { ...ref };
			d.dims = { ...dims };
		});
	}

	setDim(name: string, value: number, kind: ChangeKind = 'discrete'): void {
		if (!v.is(IdSchema, name) || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) return;
		this.update((d) => void (d.dims[name] = value), kind);
	}

	setDims(dims: Record<string, number>, kind: ChangeKind = 'discrete'): void {
		if (v.is(DimsSchema, dims)) this.update((d) => void (d.dims = { ...dims }), kind);
	}

	// Transforms --------------------------------------------------------------------------------------------

	setQuantize(mode: QuantizeMode): void {
		this.update((d) => void (d.transforms.quantize = mode));
	}
	setPerChannel(on: boolean): void {
		this.update((d) => void (d.transforms.perChannel = on));
	}
	setCalibration(calibration: Calibration): void {
		this.update((d) => void (d.transforms.calibration = calibration));
	}
	setPruneMode(mode: PruneMode): void {
		this.update((d) => void (d.transforms.prune.mode = mode));
	}
	/** Sparsity in [0, 0.95]; a slider drag is `continuous`. */
	setSparsity(sparsity: number, kind: ChangeKind = 'continuous'): void {
		this.update((d) => void (d.transforms.prune.sparsity = sparsity), kind);
	}
	setFuse(on: boolean): void {
		this.update((d) => void (d.transforms.fuse = on));
	}
	setShareBits(bits: ShareBits): void {
		this.update((d) => void (d.transforms.share.bits = bits));
	}

	// Device and memory -------------------------------------------------------------------------------------

	/** Picks a device profile; its edits are cleared. */
	setDeviceProfile(profile: string): void {
		if (v.is(IdSchema, profile)) this.update((d) => void (d.device = { profile, edits: {} }));
	}
	/** Overrides one numeric field of the device profile; `null` removes the override. */
	setDeviceEdit(field: string, value: number | null, kind: ChangeKind = 'continuous'): void {
		if (!v.is(IdSchema, field)) return;
		this.update((d) => {
			if (value === null) delete d.device.edits[field];
			else d.device.edits[field] = value;
		}, kind);
	}
	/** The memory ceiling in bytes; null = the device's RAM. */
	setCeiling(bytes: number | null, kind: ChangeKind = 'continuous'): void {
		if (v.is(CeilingSchema, bytes)) this.update((d) => void (d.ceilingBytes = bytes), kind);
	}
	setPlanner(planner: string): void {
		if (v.is(IdSchema, planner)) this.update((d) => void (d.planner = planner));
	}
	setOrder(order: OperatorOrder): void {
		this.update((d) => void (d.order = order));
	}

	// Loading policy, workload, tiling ----------------------------------------------------------------------

	setPolicyKind(kind: PolicyKind): void {
		this.update((d) => void (d.policy.kind = kind));
	}
	setPolicy(patch: Partial<LoadingPolicy>, kind: ChangeKind = 'discrete'): void {
		if (patch.budgetBytes !== undefined && !v.is(BudgetSchema, patch.budgetBytes)) return;
		this.update((d) => void Object.assign(d.policy, patch), kind);
	}
	setWorkloadKind(kind: WorkloadKind): void {
		this.update((d) => void (d.workload.kind = kind));
	}
	setScheduler(scheduler: Scheduler): void {
		this.update((d) => void (d.workload.scheduler = scheduler));
	}
	setCache(cache: CacheKind): void {
		this.update((d) => void (d.workload.cache = cache));
	}
	setWorkload(patch: Partial<Workload>, kind: ChangeKind = 'discrete'): void {
		this.update((d) => void Object.assign(d.workload, patch), kind);
	}
	setTiling(patch: Partial<Tiling>, kind: ChangeKind = 'discrete'): void {
		this.update((d) => void Object.assign(d.tiling, patch), kind);
	}

	// Cells, baseline, seed ---------------------------------------------------------------------------------

	isCellOpen(id: string): boolean {
		return this.current.cells.includes(id);
	}
	/** Opens or closes a cell; open cells stay in the notebook's order, so reopening all gives the default. */
	setCellOpen(id: string, open: boolean): void {
		if (!v.is(IdSchema, id)) return;
		const rank = (c: string) => (DEFAULT_OPEN_CELLS.includes(c) ? DEFAULT_OPEN_CELLS.indexOf(c) : DEFAULT_OPEN_CELLS.length);
		this.update((d) => {
			const rest = d.cells.filter((c) => c !== id);
			d.cells = open ? [...rest, id].sort((a, b) => rank(a) - rank(b)) : rest;
		});
	}
	/** Pins the current scenario (without its own baseline) as the baseline to compare against. */
	pinBaseline(): void {
		this.update((d) => {
			const { v: _v, baseline: _b, ...body } = d;
			d.baseline = structuredClone(body) as ScenarioBody;
		});
	}
	clearBaseline(): void {
		this.update((d) => void (d.baseline = null));
	}
	setSeed(seed: number): void {
		this.update((d) => void (d.seed = seed));
	}
}
