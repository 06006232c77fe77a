/**
 * The sweep cell's state: which toggle values to sweep, the run (in the sweep worker: each
 * combination transformed, exported, compared with the original for fidelity and latency), and the
 * figures the chart and table draw. Measured figures come from the worker; modelled latency, energy
 * and device footprint are computed here from each variant's memory data with the memory cells' own
 * `scenarioFigures` and the scenario's resolved device, planner and ceiling (MemoryState), so
 * changing the device updates them without re-running the sweep. Loading a point writes the
 * scenario's transforms in one discrete change.
 */
import { jsonEqual } from '../core/scenario/equal';
import { combinations, comboTransforms, countCombinations, type SweepCombo, type SweepEntry, type SweepSelection } from '../core/sweep/combinations';
import { paretoFront } from '../core/sweep/pareto';
import type { Capabilities } from '../engines/capabilities';
import type { SweepPoint, SweepProgress } from '../workers/protocol';
import { RpcError } from '../workers/rpc';
import { downloadCsv, downloadJson } from './download';
import { scenarioFigures } from './memory-figures';
import type { MemoryState } from './memory.svelte';
import type { ModelState } from './model.svelte';
import { ortWasmPaths } from './paths';
import type { ScenarioState } from './scenario.svelte';
import { createSweepClient } from './workers';

/** What the x axis counts. */
export type FootprintKind = 'stored' | 'sparse' | 'compressed' | 'device';
export const FOOTPRINT_KINDS: { id: FootprintKind; label: string }[] = [
	{ id: 'stored', label: 'weights in the file' },
	{ id: 'sparse', label: 'weights, sparse-encoded' },
	{ id: 'compressed', label: 'weights, deflated' },
	{ id: 'device', label: 'RAM on the device (ledger)' }
];
export type LatencyKind = 'measured' | 'modelled';

/** Timed runs per model per combination (the single-variant path uses 2 + 10). */
export const SWEEP_WARMUP = 1;
export const SWEEP_RUNS = 4;

/** One sweep point with every figure the views need. */
export interface SweepRow {
	index: number;
	label: string;
	combo: SweepCombo;
	point: SweepPoint;
	/** The footprint the chart plots (the kind chosen), bytes. */
	bytes: number;
	measuredLatencyMs: number | null;
	modelledLatencyMs: number | null;
	modelledEnergyMillijoules: number | null;
	deviceBytes: number | null;
	/** The latency the chart plots (measured or modelled, as chosen). */
	latencyMs: number | null;
	sqnrDb: number | null;
	onFront: boolean;
	/** True when the scenario's transforms are this combination. */
	loaded: boolean;
}

export class SweepState {
	selection = $state<SweepSelection>({ quantize: ['none', 'fp16'], fuse: [false], pruneSparsity: [], shareBits: [] });
	footprint = $state<FootprintKind>('stored');
	latencyKind = $state<LatencyKind>('measured');
	status = $state<'idle' | 'running' | 'done' | 'cancelled' | 'error'>('idle');
	progress = $state.raw<SweepProgress | null>(null);
	points = $state.raw<SweepPoint[]>([]);
	error = $state<string | null>(null);
	meta = $state.raw<{ modelKey: string; modelName: string; basis: string; inputBasis: string; capabilities: Capabilities | null; elapsedMs: number } | null>(null);

	private entries: SweepEntry[] = [];
	private client = createSweepClient();

	readonly scenario: ScenarioState;
	readonly model: ModelState;
	/** The memory cells' resolved device, planner and ceiling: the modelled figures use the same. */
	readonly memory: MemoryState;

	constructor(scenario: ScenarioState, model: ModelState, memory: MemoryState) {
		this.scenario = scenario;
		this.model = model;
		this.memory = memory;
	}

	count = $derived(countCombinations(this.selection));
	plan = $derived.by(() => combinations(this.selection, { perChannel: this.scenario.current.transforms.perChannel, calibration: this.scenario.current.transforms.calibration }));

	/** True when the results are for another model or dims than the loaded one. */
	stale = $derived.by(() => Boolean(this.meta && this.model.current && this.meta.modelKey !== this.model.current.key));

	rows: SweepRow[] = $derived.by(() => {
		const { profile, plannerId, ceilingBytes } = this.memory;
		const optimized = this.scenario.current.order === 'optimized';
		const transforms = this.scenario.current.transforms;
		const rows = this.points.flatMap((point) => {
			const entry = this.entries.find((e) => e.index === point.index);
			if (!entry) return [];
			const figs = point.memory ? scenarioFigures(point.memory, optimized ? point.memory.optimized : point.memory.model, profile, plannerId, ceilingBytes) : null;
			const measuredLatencyMs = point.latency?.medianMs ?? null;
			const modelledLatencyMs = figs ? figs.latency.totalSeconds * 1000 : null;
			const deviceBytes = figs?.ledger.ramBytes ?? null;
			const bytes = this.footprint === 'device' ? deviceBytes ?? 0 : this.footprint === 'sparse' ? point.storage.sparseBytes : this.footprint === 'compressed' ? point.storage.compressedBytes : point.storage.denseBytes;
			return [{
				index: point.index, label: point.label, combo: entry.combo, point, bytes, measuredLatencyMs, modelledLatencyMs,
				modelledEnergyMillijoules: figs ? figs.energy.totalJoules * 1000 : null, deviceBytes,
				latencyMs: this.latencyKind === 'measured' ? measuredLatencyMs : modelledLatencyMs,
				sqnrDb: point.sqnrDb, onFront: false, loaded: jsonEqual(comboTransforms(entry.combo, transforms), transforms)
			}];
		});
		const front = paretoFront(rows, (r) => ({ bytes: r.bytes, latencyMs: r.bytes > 0 ? r.latencyMs : null, sqnrDb: r.sqnrDb }));
		return rows.map((r, i) => ({ ...r, onFront: front[i] }));
	});

	/** Which device the modelled figures are for. */
	deviceName = $derived.by(() => this.memory.profile.name);

	toggle<K extends keyof SweepSelection>(key: K, value: SweepSelection[K][number], on: boolean): void {
		const list = this.selection[key] as SweepSelection[K][number][];
		const next = on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);
		this.selection = { ...this.selection, [key]: next };
	}

	has<K extends keyof SweepSelection>(key: K, value: SweepSelection[K][number]): boolean {
		return (this.selection[key] as SweepSelection[K][number][]).includes(value);
	}

	async run(): Promise<void> {
		const model = this.model.current;
		const plan = this.plan;
		if (!model || !plan.ok || this.status === 'running') return;
		this.entries = plan.entries;
		this.points = [];
		this.error = null;
		this.meta = null;
		this.status = 'running';
		this.progress = { k: 0, n: plan.entries.length, label: plan.entries[0]?.label ?? '', stage: 'parsing' };
		const bytes = model.bytes.slice();
		try {
			const result = await this.client.request(
				{
					type: 'sweep',
					bytes,
					fileName: model.source.kind === 'zoo' ? `${model.source.entry.id}.onnx` : model.source.fileName,
					dims: { ...model.dims },
					zoo: model.source.kind === 'zoo' ? model.source.entry : undefined,
					items: plan.entries.map(({ index, label, options }) => ({ index, label, options })),
					measure: { wasmPaths: ortWasmPaths(), warmup: SWEEP_WARMUP, runs: SWEEP_RUNS }
				},
				{
					transfer: [bytes.buffer],
					onProgress: (p) => {
						this.progress = p;
						if (p.point) this.points = [...this.points, p.point];
					}
				}
			);
			this.points = result.points;
			this.meta = { modelKey: model.key, modelName: model.name, basis: result.basis, inputBasis: result.inputBasis, capabilities: result.capabilities, elapsedMs: result.elapsedMs };
			this.status = 'done';
		} catch (err) {
			const cancelled = err instanceof RpcError && err.code === 'cancelled';
			this.status = cancelled ? 'cancelled' : 'error';
			if (!cancelled) this.error = err instanceof Error ? err.message : String(err);
			this.meta = { modelKey: model.key, modelName: model.name, basis: '', inputBasis: '', capabilities: null, elapsedMs: 0 };
		} finally {
			this.progress = null;
		}
	}

	/** Stops the sweep; the points finished so far stay. */
	cancel(): void {
		this.client.cancel();
	}

	/** Sets the scenario's transforms to this point's combination (one history entry), so every cell shows it. */
	load(index: number): void {
		const entry = this.entries.find((e) => e.index === index);
		if (entry) this.scenario.update((d) => void (d.transforms = comboTransforms(entry.combo, d.transforms)));
	}

	dispose(): void {
		this.client.dispose();
	}

	/** One flat record per point, each figure with its unit and provenance in the column name. */
	records(): Record<string, string | number | null>[] {
		const num = (x: number | null) => (x === null ? null : Number.isFinite(x) ? x : String(x));
		return this.rows.map((r) => ({
			combination: r.label,
			quantize: r.combo.quantize,
			fuse: String(r.combo.fuse),
			pruneSparsity: r.combo.pruneSparsity,
			shareBits: r.combo.shareBits,
			paretoFront: String(r.onFront),
			storedWeightBytes: r.point.storage.denseBytes,
			sparseWeightBytes: r.point.storage.sparseBytes,
			compressedWeightBytes: r.point.storage.compressedBytes,
			ramWeightBytes: r.point.ram.weightBytes,
			deviceRamBytesModelled: r.deviceBytes,
			latencyMsMeasured: num(r.measuredLatencyMs),
			originalLatencyMsMeasured: num(r.point.originalLatency?.medianMs ?? null),
			latencyMsModelled: num(r.modelledLatencyMs),
			energyMillijoulesModelled: num(r.modelledEnergyMillijoules),
			sqnrDbMeasured: num(r.sqnrDb),
			top1AgreementMeasured: num(r.point.top1Agreement),
			device: this.deviceName,
			error: r.point.error ?? null
		}));
	}

	private baseName(): string {
		return `tightfit-sweep-${(this.meta?.modelName ?? 'model').replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
	}

	exportCsv(): void {
		downloadCsv(this.records(), this.baseName());
	}

	exportJson(): void {
		downloadJson({ model: this.meta?.modelName, measuredBasis: this.meta?.basis, inputBasis: this.meta?.inputBasis, capabilities: this.meta?.capabilities, modelledFor: this.deviceName, points: this.records() }, this.baseName());
	}
}
