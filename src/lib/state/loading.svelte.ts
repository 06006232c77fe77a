/**
 * The loading cells' state: loader layers for the zoo models the workload names (analysed once per model in
 * the loading worker and kept), the simulation of all four policies for the current scenario, and the
 * measured mode's results. The scenario is the only input; nothing here is written back to it.
 */
import { untrack } from 'svelte';
import { browserProfile } from '../core/devices/calibrate';
import { deviceFromProfile } from '../core/loading/adapters';
import type { ModelSpec } from '../core/loading/types';
import type { Scenario } from '../core/scenario/schema';
import { findEntry, resolveDims } from '../core/zoo/manifest';
import type { LoadingModelInput, LoadingProgress, LoadingRequest, LoadingResult, MeasuredPolicy, MeasuredPolicyKind, PolicyOutcome } from '../workers/protocol';
import { RpcClient, RpcError } from '../workers/rpc';
import { simulationInputs, workloadModels, type SimulationInputs } from './loading-inputs';
import { missingUploadsMessage, modelLabel, resolveUploads, uploadWorkloadId, type UploadCandidate } from './loading-uploads';
import type { ModelState } from './model.svelte';
import type { ModelStore } from './persistence';
import { ortWasmPaths } from './paths';
import { zooModelBytes } from './zoo-bytes';
import type { ScenarioState } from './scenario.svelte';

type Result<T extends LoadingResult['type']> = Extract<LoadingResult, { type: T }>;

function createLoadingClient(latestWins = true) {
	return new RpcClient<LoadingRequest, LoadingResult, LoadingProgress>({
		name: 'loading',
		createWorker: () => new Worker(new URL('../workers/loading.worker.ts', import.meta.url), { type: 'module' }),
		fallback: async (req, progress) => (await import('../workers/loading-handler')).handleLoading(req, progress),
		timeoutMs: 180_000,
		latestWins
	});
}

export interface SimulationView {
	key: string;
	inputs: SimulationInputs;
	/** Legend names by model id: uploads as “name (upload)”. */
	labels: Record<string, string>;
	outcomes: PolicyOutcome[];
	detail: Result<'simulate'>['detail'];
	simulateMs: number;
	tasks: number;
}

export interface MeasuredRow {
	measured: MeasuredPolicy;
	/** The same model, one cold pass, simulated on the uncalibrated "this browser" profile. */
	simulatedMs: number;
}

export const MEASURED_POLICIES: readonly MeasuredPolicyKind[] = ['bulk', 'linear', 'interleaved'];

export class LoadingState {
	sim = $state.raw<SimulationView | null>(null);
	busy = $state.raw<string | null>(null);
	error = $state.raw<string | null>(null);
	measured = $state.raw<MeasuredRow[]>([]);
	measuring = $state.raw<string | null>(null);
	measureError = $state.raw<string | null>(null);
	measuredModel = $state.raw<string | null>(null);
	/** The emulated storage of the last measurement (MB/s), or null for the browser's own store. */
	measuredStorageMBps = $state.raw<number | null>(null);
	/** Uploads this browser has, to add to a workload: the loaded model and the upload store's. */
	uploads = $state.raw<(UploadCandidate & { id: string })[]>([]);
	/** The notice for uploads the workload names that this browser lacks (the rest is simulated). */
	missingNotice = $state.raw<string | null>(null);

	/** Simulations: a newer one supersedes an older one still running. */
	private client = createLoadingClient();
	/** Downloads and analyses, shared by every refresh and the measured mode: never superseded. */
	private prepareClient = createLoadingClient(false);
	/**
	 * Analysed models by id, as promises: refreshes that overlap (several quick edits) share one download and
	 * one analysis per model. A failed one is forgotten so the next refresh tries again. Never read reactively.
	 */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private specs = new Map<string, Promise<ModelSpec>>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private ready = new Set<string>();
	private lastKey = '';

	/** `uploads`: the store of uploaded models (IndexedDB), where a workload's uploads are found. */
	constructor(
		readonly scenario: ScenarioState,
		readonly model: ModelState,
		private readonly uploadStore?: ModelStore
	) {}

	/**
	 * Call while a loading cell initialises: re-simulates whenever the scenario changes or the zoo manifest
	 * arrives, for as long as the cell lives (both cells call it; `refresh` skips an unchanged scenario).
	 */
	watch(): void {
		$effect(() => {
			void this.scenario.lastChange;
			void this.model.manifest;
			void this.model.current;
			untrack(() => void this.refresh());
		});
	}

	/** Re-simulates when the fields the loading cells read changed (several cells may call this). */
	async refresh(): Promise<void> {
		const s = this.scenario.snapshot();
		if (!this.model.manifest) return;
		const key = JSON.stringify([s.model, s.device, s.ceilingBytes, s.policy, s.workload, s.seed, this.model.current?.key ?? null]);
		if (key === this.lastKey) return;
		this.lastKey = key;
		try {
			this.error = null;
			const available = await this.listUploads();
			if (key !== this.lastKey) return;
			const { found, missing } = resolveUploads(workloadModels(s), available);
			// A plain set handed to a pure function, never read reactively.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const inputs = simulationInputs(s, new Set(missing));
			this.missingNotice = missing.length ? missingUploadsMessage(missing, inputs.workload.models.map((id) => modelLabel(id, found))) : null;
			if (inputs.workload.models.length === 0) {
				this.sim = null;
				this.busy = null;
				return;
			}
			const labels = Object.fromEntries(inputs.workload.models.map((id) => [id, modelLabel(id, found)]));
			const pending = inputs.workload.models.filter((id) => !this.ready.has(id));
			this.busy = pending.length ? `downloading and analysing ${pending.map((id) => labels[id]).join(', ')}` : 'simulating';
			const models = await Promise.all(inputs.workload.models.map((id) => this.modelSpec(id, found.get(id))));
			if (key !== this.lastKey) return;
			this.busy = 'simulating';
			const r = (await this.client.request({
				type: 'simulate',
				models,
				streams: inputs.workload.streams,
				seed: inputs.seed,
				device: inputs.device,
				ceilingBytes: inputs.ceilingBytes,
				policies: inputs.policies,
				detailIndex: inputs.detailIndex,
				cache: inputs.cache,
				scheduler: inputs.scheduler,
				devices: inputs.devices
			})) as Result<'simulate'>;
			if (key !== this.lastKey) return;
			this.sim = { key, inputs, labels, outcomes: r.outcomes, detail: r.detail, simulateMs: r.simulateMs, tasks: r.tasks };
			this.busy = null;
		} catch (err) {
			if (key !== this.lastKey) return;
			// Defensive: only the latest refresh simulates, but if a request replaced ours, start it again.
			if (err instanceof RpcError && err.code === 'superseded') {
				this.lastKey = '';
				return this.refresh();
			}
			this.busy = null;
			this.lastKey = '';
			this.error = `The simulation failed: ${err instanceof Error ? err.message : String(err)}`;
		}
	}

	/**
	 * Uploads this browser has: the loaded model when it is an upload (at its dims), then the upload store's,
	 * most recent first. Also kept in `uploads` for the workload cell's “add” list.
	 */
	async listUploads(): Promise<(UploadCandidate & { id: string })[]> {
		const list: (UploadCandidate & { id: string })[] = [];
		const ref = this.model.current?.ref;
		if (ref?.kind === 'upload' && !/^0+$/.test(ref.sha256)) list.push({ id: uploadWorkloadId(ref.sha256), sha256: ref.sha256, name: ref.name });
		const stored = (await this.uploadStore?.list().catch(() => [])) ?? [];
		for (const u of stored) if (!list.some((x) => x.sha256 === u.sha256)) list.push({ id: uploadWorkloadId(u.sha256), sha256: u.sha256, name: u.name });
		this.uploads = list;
		return list;
	}

	/**
	 * Loader layers for a model, downloaded (zoo) or read (upload) and analysed once: a zoo model at its
	 * manifest default dims, the loaded upload at the model cell's dims, a stored upload at its own defaults.
	 */
	private modelSpec(id: string, upload?: UploadCandidate): Promise<ModelSpec> {
		const current = this.model.current;
		const dims = upload && current?.ref.kind === 'upload' && current.ref.sha256 === upload.sha256 ? current.dims : {};
		const cacheKey = upload ? `${id}@${JSON.stringify(dims)}` : id;
		const known = this.specs.get(cacheKey);
		if (known) return known;
		const spec = (async () => {
			const input = upload ? await this.uploadInput(id, upload, dims) : await this.zooInput(id);
			const r = (await this.prepareClient.request({ type: 'prepare', models: [input] }, { transfer: [input.bytes.buffer as ArrayBuffer] })) as Result<'prepare'>;
			const m = r.models.find((x) => x.id === id);
			if (!m) throw new Error(`analysing ${id} returned no model`);
			this.ready.add(id);
			return m;
		})();
		this.specs.set(cacheKey, spec);
		spec.catch(() => {
			if (this.specs.get(cacheKey) === spec) this.specs.delete(cacheKey);
		});
		return spec;
	}

	private async uploadInput(id: string, upload: UploadCandidate, dims: Record<string, number>): Promise<LoadingModelInput> {
		const current = this.model.current;
		let bytes: Uint8Array | undefined;
		if (current?.ref.kind === 'upload' && current.ref.sha256 === upload.sha256) bytes = current.bytes.slice();
		else bytes = (await this.uploadStore?.get(upload.sha256).catch(() => undefined))?.bytes;
		if (!bytes) throw new Error(`reading the upload ${upload.name}: it is no longer in this browser's store`);
		return { id, bytes, fileName: upload.name, dims };
	}

	private async zooInput(id: string): Promise<LoadingModelInput> {
		const entry = findEntry(this.model.manifest!, id);
		if (entry.format === 'tfjs') {
			// A TF.js zoo model (model.json + shards) is simulated as its ONNX export, which the model cell holds once opened.
			const current = this.model.current;
			if (current?.source.kind !== 'zoo' || current.source.entry.id !== id) throw new Error(`${entry.name} is a TF.js model: open it in the model cell first`);
			return { id, bytes: current.bytes.slice(), fileName: `${id}.onnx`, dims: resolveDims(entry), zoo: entry };
		}
		let bytes: Uint8Array;
		try {
			bytes = await zooModelBytes(id);
		} catch (err) {
			throw new Error(`downloading ${id}: ${err instanceof Error ? err.message : String(err)}`);
		}
		return { id, bytes, fileName: `${id}.onnx`, dims: resolveDims(entry), zoo: entry };
	}

	/**
	 * Measured mode: the scenario's zoo model split into `blockCount` blocks, each policy run in a fresh worker
	 * (so the WASM heap's high-water mark is its own), beside a simulation of the same cold pass.
	 */
	async measure(blockCount: number, runs = 5, storageMBps: number | null = null): Promise<void> {
		const s: Scenario = this.scenario.snapshot();
		const id = s.model.kind === 'zoo' ? s.model.id : 'ppocr-mobile-v2-cls';
		const storage = storageMBps ? { bandwidthBytesPerSecond: storageMBps * 1e6, latencyMs: 0 } : undefined;
		this.measured = [];
		this.measuredStorageMBps = storageMBps;
		this.measureError = null;
		this.measuredModel = id;
		try {
			this.measuring = `downloading ${id}`;
			const input = await this.zooInput(id);
			const spec = await this.modelSpec(id);
			const simulated = await this.simulateCold(spec, storage);
			const rows: MeasuredRow[] = [];
			for (const policy of MEASURED_POLICIES) {
				this.measuring = `${policy}: split, store, run`;
				const client = createLoadingClient();
				try {
					const r = (await client.request(
						{ type: 'measure', model: { ...input, bytes: input.bytes.slice() }, storeKey: `${id}@${JSON.stringify(input.dims)}`, blockCount, policy, warmup: 1, runs, wasmPaths: ortWasmPaths(), ...(storage ? { storage } : {}) },
						{ onProgress: (p) => (this.measuring = `${policy}: ${p.stage}${p.detail ? ` (${p.detail})` : ''}`) }
					)) as Result<'measure'>;
					rows.push({ measured: r.measured, simulatedMs: simulated[policy] });
					this.measured = [...rows];
				} finally {
					client.dispose();
				}
			}
		} catch (err) {
			this.measureError = `Measuring failed: ${err instanceof Error ? err.message : String(err)}`;
		} finally {
			this.measuring = null;
		}
	}

	/** One cold pass of `spec` under each executed policy on the "this browser" profile, unlimited ceiling. */
	/** With `storage`: the same emulated storage as the measurement, in place of the profile's. */
	private async simulateCold(spec: ModelSpec, storage?: { bandwidthBytesPerSecond: number; latencyMs: number }): Promise<Record<MeasuredPolicyKind, number>> {
		const client = createLoadingClient();
		try {
			const policies = [{ kind: 'bulk' as const }, { kind: 'linear' as const }, { kind: 'interleaved' as const, lookahead: 1 }];
			const r = (await client.request({
				type: 'simulate',
				models: [spec],
				streams: [{ kind: 'pipeline', stages: [spec.id], count: 1 }],
				seed: 1,
				device: { ...deviceFromProfile(browserProfile()), ...(storage ? { storageBandwidthBytesPerSecond: storage.bandwidthBytesPerSecond, storageLatencyMs: storage.latencyMs } : {}) },
				ceilingBytes: Infinity,
				policies,
				detailIndex: 0,
				cache: 'none',
				scheduler: 'fifo'
			})) as Result<'simulate'>;
			return { bulk: r.outcomes[0].metrics.makespanMs, linear: r.outcomes[1].metrics.makespanMs, interleaved: r.outcomes[2].metrics.makespanMs };
		} finally {
			client.dispose();
		}
	}
}
