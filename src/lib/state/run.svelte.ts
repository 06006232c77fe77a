/**
 * "Run in this browser": one inference worker, one run at a time. A result remembers which model
 * (and dims) it was measured for, so a result never shows next to another model's summary.
 */
import type { BrowserMeasurement } from '../core/devices/calibrate';
import { matmulMicrobench, microbenchMeasurement } from '../core/devices/microbench';
import { describeCapabilities, detectCapabilities, type Capabilities } from '../engines/capabilities';
import { syntheticFeeds, type InputSpec } from '../engines/feeds';
import type { FeedSource, InferenceProgress, InferenceResult } from '../workers/protocol';
import { RpcError } from '../workers/rpc';
import type { LoadedModel } from './model.svelte';
import { ortWasmPaths } from './paths';
import { createInferenceClient } from './workers';
import { workerLossMessage } from './worker-notices.svelte';

export const DEFAULT_WARMUP = 2;
export const DEFAULT_RUNS = 10;

export class RunState {
	status = $state<'idle' | 'running' | 'done' | 'error'>('idle');
	progress = $state.raw<InferenceProgress | null>(null);
	result = $state.raw<(InferenceResult & { modelKey: string }) | null>(null);
	error = $state.raw<{ code: string; message: string; modelKey: string } | null>(null);
	runs = $state(DEFAULT_RUNS);
	/** This page's own capabilities, shown before anything runs (the worker reports its own with results). */
	readonly pageCapabilities: Capabilities = detectCapabilities();

	/** Set when the inference worker died on its own and was restarted: a non-blocking notice. */
	workerNotice = $state<string | null>(null);

	private client = createInferenceClient((_reason, loss) => {
		this.workerNotice = workerLossMessage(loss);
	});
	/** The calibration microbenchmark's worker: its own, so it never supersedes a model's run. */
	private benchClient = createInferenceClient();

	/** "This browser"'s compute rate from the MatMul microbenchmark, measured once per page (after the first run). */
	calibration = $state.raw<(BrowserMeasurement & { medianMs: number }) | null>(null);
	calibrationStatus = $state<'idle' | 'running' | 'done' | 'error'>('idle');
	calibrationError = $state<string | null>(null);

	resultFor(model: LoadedModel | null) {
		return model && this.result?.modelKey === model.key ? this.result : null;
	}

	errorFor(model: LoadedModel | null) {
		return model && this.error?.modelKey === model.key ? this.error : null;
	}

	async run(model: LoadedModel): Promise<void> {
		let feeds: FeedSource;
		try {
			feeds = feedSource(model);
		} catch (err) {
			this.status = 'error';
			this.error = { code: 'input', message: err instanceof Error ? err.message : String(err), modelKey: model.key };
			return;
		}
		this.status = 'running';
		this.error = null;
		this.progress = null;
		// A fresh worker per measurement: a WASM heap only grows, so a second session in the same worker would
		// reuse the first one's heap and its measured growth would not be this model's.
		this.client.reset();
		try {
			const result = await this.client.request(
				{ type: 'run', bytes: model.bytes.slice(), wasmPaths: ortWasmPaths(), feeds, warmup: DEFAULT_WARMUP, runs: this.runs },
				{ onProgress: (p) => (this.progress = p) }
			);
			this.result = { ...result, modelKey: model.key };
			this.status = 'done';
			// After the run, not beside it: the two would share the cores and slow each other down.
			if (!this.calibration && this.calibrationStatus !== 'running') void this.calibrate();
		} catch (err) {
			if (err instanceof RpcError && err.code === 'superseded') return;
			// A wasm heap that ran out may be left unusable: the next run gets a fresh worker.
			if (err instanceof RpcError && err.code === 'out-of-memory') this.client.reset();
			this.status = 'error';
			this.error = {
				code: err instanceof RpcError ? err.code : 'internal',
				message: err instanceof Error ? err.message : String(err),
				modelKey: model.key
			};
		} finally {
			if (this.status !== 'running') this.progress = null;
		}
	}

	/** Times the MatMul microbenchmark in onnxruntime-web and keeps its MAC rate as the calibration. */
	async calibrate(): Promise<void> {
		const bench = matmulMicrobench();
		this.calibrationStatus = 'running';
		this.calibrationError = null;
		try {
			const r = await this.benchClient.request({
				type: 'run', bytes: bench.bytes, wasmPaths: ortWasmPaths(), warmup: DEFAULT_WARMUP, runs: DEFAULT_RUNS,
				feeds: { kind: 'tensors', tensors: bench.feeds, basis: 'deterministic values in [-1, 1)' }
			});
			this.calibration = { ...microbenchMeasurement(bench, r.latency.medianMs, describeCapabilities(r.capabilities)), medianMs: r.latency.medianMs };
			this.calibrationStatus = 'done';
		} catch (err) {
			this.calibrationStatus = 'error';
			this.calibrationError = err instanceof Error ? err.message : String(err);
		} finally {
			// Measured once: its worker (and the runtime's heap in it) is not kept.
			this.benchClient.reset();
		}
	}

	/** Timed runs per measurement, clamped to 1–200 (a non-number keeps the current value). */
	setRuns(n: number): void {
		if (Number.isFinite(n)) this.runs = Math.min(200, Math.max(1, Math.round(n)));
	}

	dismissWorkerNotice(): void {
		this.workerNotice = null;
	}

	cancel(): void {
		this.client.cancel();
		this.status = 'idle';
		this.progress = null;
	}
}

function feedSource(model: LoadedModel): FeedSource {
	if (model.source.kind === 'zoo') return { kind: 'zoo', entry: model.source.entry, dims: { ...model.dims } };
	const inputs = model.analysis.summary.inputs as unknown as InputSpec[];
	return {
		kind: 'tensors',
		tensors: syntheticFeeds(inputs, model.dims),
		basis: 'deterministic pseudo-random values (no representative input for an uploaded model)'
	};
}
