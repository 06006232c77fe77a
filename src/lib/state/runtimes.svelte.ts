/**
 * "Runtimes and their own memory": measures the current model in each chosen runtime/backend, one fresh
 * worker per measurement (so one runtime's heap never shows in the next one's figures), one at a time.
 * A TF.js model runs on TF.js's webgl/wasm/cpu backends and, as its ONNX export, in onnxruntime-web; an
 * ONNX model only in onnxruntime-web (TF.js cannot load ONNX).
 */
import type { TfjsWeightQuantization } from '../core/formats/tfjs/weight-quantization';
import { syntheticFeeds, type InputSpec } from '../engines/feeds';
import { smallerVariantsFor, type SmallerVariant } from '../engines/oom';
import type { TfjsBackendName } from '../engines/tfjs';
import type { RuntimeProgress, RuntimeResult } from '../workers/protocol';
import { RpcError } from '../workers/rpc';
import type { LoadedModel, ModelState } from './model.svelte';
import { appUrl, ortWasmPaths } from './paths';
import { createRuntimeClient } from './workers';

export interface RuntimeTarget {
	id: string;
	runtime: 'tensorflow.js' | 'onnxruntime-web';
	backend: TfjsBackendName;
	label: string;
}

export const TARGETS: readonly RuntimeTarget[] = [
	{ id: 'tfjs-webgl', runtime: 'tensorflow.js', backend: 'webgl', label: 'TF.js WebGL' },
	{ id: 'tfjs-wasm', runtime: 'tensorflow.js', backend: 'wasm', label: 'TF.js WASM' },
	{ id: 'tfjs-cpu', runtime: 'tensorflow.js', backend: 'cpu', label: 'TF.js CPU' },
	{ id: 'ort-wasm', runtime: 'onnxruntime-web', backend: 'wasm', label: 'onnxruntime-web WASM' }
];

export type TargetOutcome =
	| { status: 'running'; progress: RuntimeProgress | null }
	| { status: 'done'; result: RuntimeResult }
	| { status: 'error'; code: string; message: string; offers: readonly SmallerVariant[] };

/** A failed measurement as the cell shows it: after an out-of-memory, with the smaller variants on offer. */
export function failedOutcome(err: unknown): Extract<TargetOutcome, { status: 'error' }> {
	const code = err instanceof RpcError ? err.code : 'internal';
	return { status: 'error', code, message: err instanceof Error ? err.message : String(err), offers: smallerVariantsFor(code) };
}

export class RuntimesState {
	selected = $state<Record<string, boolean>>({ 'tfjs-webgl': true, 'tfjs-wasm': true, 'tfjs-cpu': false, 'ort-wasm': true });
	quantization = $state<TfjsWeightQuantization>('none');
	runs = $state(5);
	/** Outcomes by target id, for the model key they were measured on. */
	outcomes = $state.raw<Record<string, TargetOutcome>>({});
	modelKey = $state<string | null>(null);
	busy = $state(false);
	private cancelled = false;
	private client: ReturnType<typeof createRuntimeClient> | null = null;

	/** The targets a model can run on: TF.js backends only for a TF.js model. */
	targetsFor(model: LoadedModel | null): RuntimeTarget[] {
		if (!model) return [];
		return TARGETS.filter((t) => t.runtime === 'onnxruntime-web' || !!model.files);
	}

	outcomesFor(model: LoadedModel | null): Record<string, TargetOutcome> {
		return model && this.modelKey === model.key ? this.outcomes : {};
	}

	/** The smaller variants offered by any target that ran out of memory (each once), for the cell's offer. */
	offersFor(model: LoadedModel | null): readonly SmallerVariant[] {
		const offers = Object.values(this.outcomesFor(model)).flatMap((o) => (o.status === 'error' ? o.offers : []));
		return offers.filter((v, i) => offers.findIndex((w) => w.id === v.id) === i);
	}

	async measure(model: LoadedModel): Promise<void> {
		this.busy = true;
		this.cancelled = false;
		this.modelKey = model.key;
		this.outcomes = {};
		const inputs = model.analysis.summary.inputs as unknown as InputSpec[];
		let feeds;
		try {
			feeds = syntheticFeeds(inputs, model.dims);
		} catch (err) {
			this.outcomes = { input: { status: 'error', code: 'input', message: err instanceof Error ? err.message : String(err), offers: [] } };
			this.busy = false;
			return;
		}
		for (const target of this.targetsFor(model).filter((t) => this.selected[t.id])) {
			if (this.cancelled || this.modelKey !== model.key) break;
			this.outcomes = { ...this.outcomes, [target.id]: { status: 'running', progress: null } };
			this.client = createRuntimeClient();
			try {
				const result = await this.client.request(
					{
						type: 'measure',
						runtime: target.runtime,
						backend: target.backend,
						files: target.runtime === 'tensorflow.js' ? model.files!.map((f) => ({ name: f.name, bytes: f.bytes.slice() })) : undefined,
						bytes: target.runtime === 'onnxruntime-web' ? model.bytes.slice() : undefined,
						weightQuantization: target.runtime === 'tensorflow.js' ? this.quantization : 'none',
						tfjsWasmPaths: appUrl('tfjs/'),
						ortWasmPaths: ortWasmPaths(),
						modelWeightBytes: model.analysis.summary.weightBytes,
						feeds,
						inputBasis: 'deterministic pseudo-random values',
						warmup: 2,
						runs: this.runs
					},
					{ onProgress: (p) => (this.outcomes = { ...this.outcomes, [target.id]: { status: 'running', progress: p } }) }
				);
				this.outcomes = { ...this.outcomes, [target.id]: { status: 'done', result } };
			} catch (err) {
				if (err instanceof RpcError && err.code === 'cancelled') {
					this.outcomes = { ...this.outcomes, [target.id]: { status: 'error', code: 'cancelled', message: 'Cancelled', offers: [] } };
					break;
				}
				this.outcomes = { ...this.outcomes, [target.id]: failedOutcome(err) };
			} finally {
				this.client.dispose();
				this.client = null;
			}
		}
		this.busy = false;
	}

	/** Opens the TF.js tiny face detector (face-api's weights, architecture built by the project) from the zoo. */
	async loadFaceDetector(model: ModelState): Promise<void> {
		await model.pickZoo('tiny-face-detector');
	}

	cancel(): void {
		this.cancelled = true;
		this.client?.cancel();
		this.busy = false;
	}
}
