/**
 * The fused-tile partitioning cell's state. The scenario's `tiling` field is the input — layer range, grid,
 * devices and their profiles, link, network (the loaded model or the seeded reference net) and gateway — so
 * all of it is in the share link and walks with back/forward; with the scenario's device and ceiling.
 * Evaluation and the sweep run in the tiling worker; "run tiled in this browser" runs the untiled and the
 * stitched model each in a fresh worker, so each heap high-water mark is its own, and compares their outputs here.
 */
import { deviceById } from '../core/devices/profiles';
import type { DeviceProfile } from '../core/devices/types';
import type { Tiling } from '../core/scenario/schema';
import type { TiledRun, TilingConfig, TilingNetwork, TilingProgress, TilingRequest, TilingResult } from '../workers/protocol';
import { RpcClient, RpcError } from '../workers/rpc';
import type { MemoryState } from './memory.svelte';
import type { ModelState } from './model.svelte';
import { ortWasmPaths } from './paths';
import type { ScenarioState } from './scenario.svelte';

type Result<T extends TilingResult['type']> = Extract<TilingResult, { type: T }>;
export type Evaluation = Result<'evaluate'>;
export type NetworkChoice = 'reference' | 'model';

/** Input size of the reference network (YOLOv2's 416×416). */
export const REFERENCE_INPUT_SIZE = 416;
export const MAX_GRID = 5;
export const MAX_DEVICES = 16;

function createTilingClient() {
	return new RpcClient<TilingRequest, TilingResult, TilingProgress>({
		name: 'tiling',
		createWorker: () => new Worker(new URL('../workers/tiling.worker.ts', import.meta.url), { type: 'module' }),
		fallback: async (req, progress) => (await import('../workers/tiling-handler')).handleTiling(req, progress),
		timeoutMs: 180_000
	});
}

/** Largest |a − b| over two equally long outputs (Infinity when their lengths differ). */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
	if (a.length !== b.length) return Infinity;
	let max = 0;
	for (let i = 0; i < a.length; i++) {
		const d = Math.abs(a[i] - b[i]);
		if (!(d <= max)) max = d;
	}
	return max;
}

export interface MeasuredTiling {
	untiled: TiledRun;
	tiled: TiledRun;
	maxAbsDiff: number;
	/** What was run: network, first layer, L and grid. */
	network: NetworkChoice;
	from: number;
	layers: number;
	grid: { rows: number; cols: number };
}

const progressText = (p: TilingProgress) => `${p.stage}${p.detail ? ` (${p.detail})` : ''}`;

export class TilingState {
	evaluation = $state.raw<Evaluation | null>(null);
	busy = $state.raw<string | null>(null);
	error = $state.raw<string | null>(null);
	measured = $state.raw<MeasuredTiling | null>(null);
	measuring = $state.raw<string | null>(null);
	measureError = $state.raw<string | null>(null);

	private client = createTilingClient();
	private lastKey = '';
	readonly scenario: ScenarioState;
	readonly model: ModelState;
	readonly memory: MemoryState;

	constructor(scenario: ScenarioState, model: ModelState, memory: MemoryState) {
		this.scenario = scenario;
		this.model = model;
		this.memory = memory;
	}

	get tiling(): Tiling {
		return this.scenario.current.tiling;
	}

	/** What is tiled: the seeded reference network or the loaded model (scenario `tiling.network`). */
	get network(): NetworkChoice {
		return this.tiling.network;
	}
	/** A separate gateway holds the input and merges the blocks (scenario `tiling.gateway`). */
	get gateway(): boolean {
		return this.tiling.gateway;
	}
	/** First fused layer a: the scenario keeps the layer range [a, b]. */
	get from(): number {
		return this.tiling.layers[0];
	}
	/** Fused depth L = b − a + 1. */
	get layers(): number {
		return this.tiling.layers[1] - this.tiling.layers[0] + 1;
	}

	setLayers(layers: number, kind: 'discrete' | 'continuous' = 'discrete'): void {
		const from = this.from;
		this.scenario.setTiling({ layers: [from, from + Math.max(1, Math.round(layers)) - 1] }, kind);
	}
	/** Moves the first fused layer, keeping L. */
	setFrom(from: number): void {
		const a = Math.max(0, Math.round(from));
		this.scenario.setTiling({ layers: [a, a + this.layers - 1] });
	}
	setGrid(rows: number, cols: number): void {
		const clamp = (n: number) => Math.min(MAX_GRID, Math.max(1, Math.round(n)));
		this.scenario.setTiling({ grid: [clamp(rows), clamp(cols)] });
	}
	/** K devices; profiles listed past K are dropped (the link stays short). */
	setDevices(devices: number): void {
		const k = Math.min(MAX_DEVICES, Math.max(1, Math.round(devices)));
		const profiles = this.tiling.profiles.slice(0, k);
		this.scenario.setTiling(profiles.length < this.tiling.profiles.length ? { devices: k, profiles } : { devices: k });
	}
	setLinkMbit(mbit: number): void {
		if (mbit > 0) this.scenario.setTiling({ linkBitsPerSecond: mbit * 1e6 });
	}
	setNetwork(choice: NetworkChoice): void {
		this.measured = null;
		this.scenario.setTiling({ network: choice });
	}
	setGateway(on: boolean): void {
		this.scenario.setTiling({ gateway: on });
	}

	/** The profile id device `index` was given, or null where it uses the scenario's device. */
	deviceProfileId(index: number): string | null {
		return this.tiling.profiles[index] ?? null;
	}
	/**
	 * Gives device `index` a profile (null: the scenario's device). Devices before it without one get the
	 * scenario's device id written out; trailing entries equal to the scenario's device are dropped.
	 */
	setDeviceProfile(index: number, id: string | null): void {
		const own = this.scenario.current.device.profile;
		const ids = Array.from({ length: this.tiling.devices }, (_, d) => this.tiling.profiles[d] ?? own);
		ids[index] = id ?? own;
		while (ids.length && ids[ids.length - 1] === own) ids.pop();
		this.scenario.setTiling({ profiles: ids });
	}
	/** Each of the K devices' profile: the scenario's (edited) device where none is given or the id is unknown. */
	deviceProfiles(): DeviceProfile[] {
		const own = this.memory.profile;
		return Array.from({ length: this.tiling.devices }, (_, d) => {
			const id = this.tiling.profiles[d];
			return id === undefined || id === own.id ? own : (deviceById(id) ?? own);
		});
	}

	private networkInput(): TilingNetwork | null {
		if (this.network === 'reference') return { kind: 'reference', inputSize: REFERENCE_INPUT_SIZE };
		const m = this.model.current;
		if (!m) return null;
		const fileName = m.source.kind === 'zoo' ? `${m.source.entry.id}.onnx` : m.source.fileName;
		return { kind: 'model', key: m.key, bytes: m.bytes, fileName, dims: { ...m.dims }, zoo: m.source.kind === 'zoo' ? m.source.entry : undefined };
	}

	config(): TilingConfig | null {
		const network = this.networkInput();
		if (!network) return null;
		const t = this.scenario.snapshot().tiling;
		const devices = Math.min(MAX_DEVICES, t.devices);
		const profiles = $state.snapshot(this.deviceProfiles().slice(0, devices));
		return {
			network,
			from: t.layers[0],
			layers: t.layers[1] - t.layers[0] + 1,
			grid: { rows: Math.min(MAX_GRID, t.grid[0]), cols: Math.min(MAX_GRID, t.grid[1]) },
			devices,
			// The untiled stack (and any prefix) is costed on device 1, as the CLI does.
			profile: profiles[0],
			profiles,
			linkBytesPerSecond: t.linkBitsPerSecond / 8,
			gateway: this.gateway,
			ceilingBytes: this.memory.ceilingBytes
		};
	}

	/** Re-evaluates (and re-sweeps) when any input changed; the latest request wins. */
	async refresh(): Promise<void> {
		const config = this.config();
		if (!config) return;
		const n = config.network;
		const key = JSON.stringify([n.kind === 'model' ? n.key : n, { ...config, network: null }]);
		if (key === this.lastKey) return;
		this.lastKey = key;
		try {
			this.error = null;
			this.busy = 'evaluating';
			const r = (await this.client.request({ type: 'evaluate', config, sweep: true }, { onProgress: (p) => (this.busy = progressText(p)) })) as Evaluation;
			if (key !== this.lastKey) return;
			this.evaluation = r;
			this.busy = null;
		} catch (err) {
			if (err instanceof RpcError && err.code === 'superseded') return;
			if (key !== this.lastKey) return;
			this.busy = null;
			this.lastKey = '';
			this.evaluation = null;
			const why = err instanceof Error ? err.message : String(err);
			this.error = this.network === 'model' ? `This model cannot be tiled: ${why}. Choose the reference network instead.` : `Tiling failed: ${why}`;
		}
	}

	/** Runs the untiled stack and the stitched tiles in onnxruntime-web, each in a fresh worker, and compares. */
	async measure(runs = 5): Promise<void> {
		const config = this.config();
		if (!config) return;
		this.measured = null;
		this.measureError = null;
		const out: Partial<Record<'untiled' | 'tiled', TiledRun>> = {};
		try {
			for (const variant of ['untiled', 'tiled'] as const) {
				const client = createTilingClient();
				try {
					this.measuring = `${variant}: starting`;
					const r = (await client.request(
						{ type: 'measure', config: { ...config, network: structuredCloneNetwork(config.network) }, variant, warmup: 1, runs, wasmPaths: ortWasmPaths() },
						{ onProgress: (p) => (this.measuring = progressText(p)) }
					)) as Result<'measure'>;
					out[variant] = r.run;
				} finally {
					client.dispose();
				}
			}
			const { untiled, tiled } = out as Required<typeof out>;
			this.measured = {
				untiled, tiled, maxAbsDiff: maxAbsDiff(untiled.output, tiled.output),
				network: config.network.kind, from: this.evaluation?.report.first ?? config.from, layers: this.evaluation?.report.layers ?? config.layers, grid: config.grid
			};
		} catch (err) {
			this.measureError = `Running the tiles failed: ${err instanceof Error ? err.message : String(err)}`;
		} finally {
			this.measuring = null;
		}
	}
}

/** A model's bytes are copied for each worker (the page keeps its own). */
function structuredCloneNetwork(n: TilingNetwork): TilingNetwork {
	return n.kind === 'model' ? { ...n, bytes: n.bytes.slice() } : n;
}
