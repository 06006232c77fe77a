/**
 * The memory views' state: everything derives from the scenario (device, edits, ceiling, planner,
 * order, baseline), the worker's `MemoryData` of the loaded model, and the run measured in this
 * browser. Planners, ledger and estimates run here on the main thread in `$derived`, so a slider
 * update costs one ledger (≈ 1 ms on the largest zoo model), and the all-planners table only
 * recomputes when the buffers change.
 */
import { browserProfile, type BrowserMeasurement } from '../core/devices/calibrate';
import { deviceProfiles, ramBytes } from '../core/devices/profiles';
import type { MeasuredHeap } from '../core/memory/measured';
import { plannerById } from '../core/memory/planners/index';
import type { ScenarioBody } from '../core/scenario/schema';
import type { StackTerm } from '../charts/stack';
import type { MemoryData } from '../workers/memory-data';
import { downloadCsv, downloadJson } from './download';
import {
	plannedBuffers,
	plannerTable,
	resolvePlannerId,
	resolveProfile,
	scenarioFigures,
	type ScenarioFigures
} from './memory-figures';
import type { ModelState } from './model.svelte';
import type { RunState } from './run.svelte';
import type { ScenarioState } from './scenario.svelte';

/** One row of the figures panel: what the charts draw for the current scenario or the baseline. */
export interface PanelRow {
	key: 'current' | 'baseline';
	label: string;
	modelName: string;
	deviceName: string;
	plannerName: string;
	order: 'model' | 'optimized';
	ceilingBytes: number;
	verdict: ScenarioFigures['ledger']['verdict']['status'];
	footprint: StackTerm[];
	latencyMs: { modelled: number; measured: number | null; measuredBasis: string | null };
	energyMillijoules: number;
	/** Why some figure could not be computed (a baseline on another model, shown from its pin). */
	note: string | null;
}

const FOOTPRINT_LABELS: Record<string, string> = { weights: 'Weights', arena: 'Activations', io: 'I/O', runtime: 'Runtime', scratch: 'Scratch' };

export class MemoryState {
	/** Compare mode: a second planner drawn beside the scenario's. */
	compare = $state(false);
	comparePlanner = $state('heap-first-fit');
	/** The panel rows as they were when the baseline was pinned (used when it cannot be recomputed). */
	pinnedRow = $state.raw<PanelRow | null>(null);

	readonly scenario: ScenarioState;
	readonly model: ModelState;
	readonly run: RunState;

	constructor(scenario: ScenarioState, model: ModelState, run: RunState) {
		this.scenario = scenario;
		this.model = model;
		this.run = run;
	}

	readonly profiles = deviceProfiles;

	data: MemoryData | null = $derived.by(() => this.model.current?.analysis.memory ?? null);
	dataError: string | null = $derived.by(() => this.model.current?.analysis.memoryError ?? null);

	/**
	 * The calibration of "this browser": the MatMul microbenchmark when it has run (independent of the model,
	 * so the estimate's error is real), else the model's own run.
	 */
	measurement: BrowserMeasurement | undefined = $derived.by(() => this.run.calibration ?? this.modelRunMeasurement);

	/** The run measured in this browser for the loaded model, as a MAC rate. */
	modelRunMeasurement: BrowserMeasurement | undefined = $derived.by(() => {
		const r = this.run.resultFor(this.model.current);
		const data = this.data;
		if (!r || !data || !(r.latency.medianMs > 0)) return undefined;
		const c = r.capabilities;
		return {
			macs: data.ops.reduce((s, o) => s + o.macs, 0),
			elapsedSeconds: r.latency.medianMs / 1000,
			capabilities: `${r.backend}${c.wasmSimd ? ', SIMD' : ''}${c.wasmThreads ? ', threads' : ''}${c.crossOriginIsolated ? ', isolated' : ''}`
		};
	});
	measuredLatencyMs: number | null = $derived.by(() => this.run.resultFor(this.model.current)?.latency.medianMs ?? null);
	/** onnxruntime-web's WASM heap around that run: the ledger's measured rows on "this browser". */
	measuredHeap: MeasuredHeap | null = $derived.by(() => this.run.resultFor(this.model.current)?.heap ?? null);

	/**
	 * The scenario object is replaced on every change (a ceiling drag included); keying on what the profile
	 * depends on keeps the same profile object, so nothing downstream of it recomputes.
	 */
	resolved = $derived.by(() => {
		const { profile, edits } = this.scenario.current.device;
		return this.#memo('profile', JSON.stringify([profile, edits, this.measurement]), [], () => resolveProfile(profile, edits, this.measurement));
	});
	profile = $derived(this.resolved.profile);
	plannerId = $derived.by(() => resolvePlannerId(this.scenario.current.planner));
	plannerName = $derived(plannerById(this.plannerId)?.name ?? this.plannerId);
	ceilingBytes = $derived.by(() => this.scenario.current.ceilingBytes ?? ramBytes(this.profile));
	deviceRamBytes = $derived(ramBytes(this.profile));
	orderData = $derived.by(() => this.data ? (this.scenario.current.order === 'optimized' ? this.data.optimized : this.data.model) : null);
	ioInArena = $derived(this.profile.runtime.ioInArena);
	/** The buffers the planners place (I/O included when the runtime keeps it in the arena). */
	planned = $derived(this.orderData ? plannedBuffers(this.orderData.buffers, this.ioInArena) : []);
	/** Every planner over the planned buffers: recomputed only when the buffers change. */
	table = $derived(plannerTable(this.planned));
	figures: ScenarioFigures | null = $derived(
		this.data && this.orderData ? scenarioFigures(this.data, this.orderData, this.profile, this.plannerId, this.ceilingBytes, this.measuredHeap) : null
	);

	/** "This browser": the uncalibrated and calibrated estimates next to the measured latency. */
	browserCheck = $derived.by(() => {
		const data = this.data;
		const order = this.orderData;
		const measured = this.measuredLatencyMs;
		const fromRun = this.modelRunMeasurement;
		if (!data || !order || measured === null || !fromRun) return null;
		const row = (measurement?: BrowserMeasurement) => {
			const p = browserProfile(measurement);
			const ms = scenarioFigures(data, order, p, this.plannerId, ramBytes(p)).latency.totalSeconds * 1000;
			return { ms, error: (ms - measured) / measured, rate: p.throughputMacsPerSecond.float32 };
		};
		const bench = this.run.calibration;
		return {
			measuredMs: measured,
			uncalibrated: row(),
			/** Calibrated by the MatMul microbenchmark: the estimator's error on this model. */
			microbench: bench ? { ...row(bench), medianMs: bench.medianMs } : null,
			/** Fitted to this model's own run: what is left is the roofline's memory terms. */
			fitted: row(fromRun)
		};
	});

	currentRow: PanelRow | null = $derived.by(() => this.figures ? this.rowOf('current', this.figures, this.scenario.current) : null);

	/** The baseline's figures: recomputed when its model is the loaded one, else as pinned. */
	baselineRow: PanelRow | null = $derived.by(() => {
		const base = this.scenario.current.baseline;
		if (!base) return null;
		const data = this.data;
		if (data && this.sameModel(base)) return this.#memo('baseline', JSON.stringify([base, this.measurement, this.measuredLatencyMs]), [data], () => this.baselineOf(base, data));
		const pinned = this.pinnedRow;
		return pinned ? { ...pinned, note: `${pinned.modelName} is not loaded: figures as they were when pinned` } : null;
	});

	#cache: Record<string, { key: string; refs: unknown[]; value: unknown }> = {};

	/**
	 * `compute()`, or its last value when `key` (small inputs as JSON, so a re-parsed scenario matches) and
	 * `refs` (big inputs, by identity) are unchanged. Not reactive itself: callers read their deps first.
	 */
	#memo<T>(name: string, key: string, refs: unknown[], compute: () => T): T {
		const hit = this.#cache[name];
		if (hit && hit.key === key && hit.refs.length === refs.length && hit.refs.every((r, i) => r === refs[i])) return hit.value as T;
		const value = compute();
		this.#cache[name] = { key, refs, value };
		return value;
	}

	private baselineOf(base: ScenarioBody, data: MemoryData): PanelRow {
		const resolved = resolveProfile(base.device.profile, base.device.edits, this.measurement);
		const order = base.order === 'optimized' ? data.optimized : data.model;
		const plannerId = resolvePlannerId(base.planner);
		const figs = scenarioFigures(data, order, resolved.profile, plannerId, base.ceilingBytes ?? ramBytes(resolved.profile));
		return this.rowOf('baseline', figs, base);
	}

	rows: PanelRow[] = $derived([this.currentRow, this.baselineRow].filter((r): r is PanelRow => r !== null));

	private sameModel(body: ScenarioBody): boolean {
		const cur = this.model.current;
		if (!cur) return false;
		if (body.model.kind === 'zoo') return cur.source.kind === 'zoo' && cur.source.entry.id === body.model.id;
		return cur.source.kind === 'file' && cur.source.fileName === body.model.name;
	}

	private rowOf(key: PanelRow['key'], f: ScenarioFigures, body: ScenarioBody): PanelRow {
		const measured = this.measuredLatencyMs;
		return {
			key,
			label: key === 'current' ? 'Current' : 'Baseline',
			modelName: this.model.current?.name ?? '—',
			deviceName: f.deviceName,
			plannerName: plannerById(f.plannerId)?.name ?? f.plannerId,
			order: body.order,
			ceilingBytes: f.ceilingBytes,
			verdict: f.ledger.verdict.status,
			footprint: f.ledger.terms.map((t) => ({ id: t.id, label: FOOTPRINT_LABELS[t.id] ?? t.label, value: t.bytes, kind: t.kind, basis: t.basis })),
			latencyMs: { modelled: f.latency.totalSeconds * 1000, measured, measuredBasis: measured === null ? null : 'median of the runs measured in this browser (onnxruntime-web)' },
			energyMillijoules: f.energy.totalJoules * 1000,
			note: null
		};
	}

	// Actions ---------------------------------------------------------------------------------------------

	pinBaseline(): void {
		this.pinnedRow = this.currentRow ? { ...this.currentRow, key: 'baseline', label: 'Baseline' } : null;
		this.scenario.pinBaseline();
	}

	clearBaseline(): void {
		this.pinnedRow = null;
		this.scenario.clearBaseline();
	}

	/** The panel's figures as flat records: one per scenario × quantity, each with unit and provenance. */
	figureRecords(): Record<string, string | number | null>[] {
		return this.rows.flatMap((r) => {
			const common = { scenario: r.label, model: r.modelName, device: r.deviceName, planner: r.plannerName, order: r.order, verdict: r.verdict };
			return [
				...r.footprint.map((t) => ({ ...common, quantity: `footprint: ${t.label}`, value: t.value, unit: 'B', kind: t.kind, basis: t.basis ?? '' })),
				{ ...common, quantity: 'ceiling', value: r.ceilingBytes, unit: 'B', kind: 'modelled', basis: 'the scenario\'s memory ceiling' },
				{ ...common, quantity: 'latency', value: r.latencyMs.modelled, unit: 'ms', kind: 'modelled', basis: `roofline estimate for ${r.deviceName}` },
				...(r.latencyMs.measured === null ? [] : [{ ...common, quantity: 'latency', value: r.latencyMs.measured, unit: 'ms', kind: 'measured', basis: r.latencyMs.measuredBasis ?? '' }]),
				{ ...common, quantity: 'energy', value: r.energyMillijoules, unit: 'mJ', kind: 'modelled', basis: `energy model for ${r.deviceName}` }
			];
		});
	}

	exportCsv(): void {
		downloadCsv(this.figureRecords(), 'tightfit-figures');
	}

	exportJson(): void {
		const f = this.figures;
		downloadJson(
			{
				figures: this.figureRecords(),
				latency: f ? { formula: f.latency.formula, constants: f.latency.constants } : null,
				energy: f ? { formula: f.energy.formula, constants: f.energy.constants } : null
			},
			'tightfit-figures'
		);
	}
}
