/**
 * TensorFlow.js behind the Engine interface, with its backend chosen explicitly: 'webgl', 'wasm' (its .wasm
 * files self-hosted under the app's `tfjs/` folder, copied there by scripts/tfjs-sync.js) or 'cpu'. A TF.js
 * model is model.json plus its shards, so the engine also loads from files; every run is in `tf.tidy`,
 * outputs are read back (the only way WebGL work is finished) and disposed.
 */
import * as tf from '@tensorflow/tfjs';
import type { Capabilities } from './capabilities';
import type { Backend, Engine, EngineSession, PlainTensor, RunOptions, RunResult } from './engine';
import type { MemoryProbe } from './runtime-memory';
import { previewTensor } from './stats';

export type TfjsBackendName = 'webgl' | 'wasm' | 'cpu';
export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['webgl', 'wasm', 'cpu'];

export interface TfjsFile {
	name: string;
	bytes: Uint8Array;
}

export interface TfjsEngineOptions {
	backend: TfjsBackendName;
	/** Absolute URL of the folder holding tfjs-backend-wasm*.wasm, ending in '/'; '' in Node. */
	wasmPaths: string;
	capabilities: Capabilities;
}

export interface TfjsEngine extends Engine {
	loadFiles(files: TfjsFile[]): Promise<EngineSession>;
	/** Readers for runtime-memory.ts: tf.memory() and, on the wasm backend, its WebAssembly.Memory. */
	memoryProbe(): MemoryProbe;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** model.json + shards → TF.js model artifacts (weight specs of all groups, shards concatenated in manifest order). */
export function artifactsFromFiles(files: TfjsFile[]): tf.io.ModelArtifacts {
	const main = files.find((f) => /(^|[\\/])model\.json$/i.test(f.name)) ?? files.find((f) => /\.json$/i.test(f.name));
	if (!main) throw new Error('No model.json among the files');
	const json = JSON.parse(new TextDecoder().decode(main.bytes));
	const byName = new Map(files.map((f) => [baseName(f.name), f.bytes]));
	const groups = (json.weightsManifest ?? []) as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
	const shards = groups.flatMap((g) =>
		g.paths.map((p) => {
			const b = byName.get(baseName(p));
			if (!b) throw new Error(`model.json needs the weight file '${p}', which was not given`);
			return b;
		})
	);
	const weightData = new Uint8Array(shards.reduce((s, b) => s + b.byteLength, 0));
	shards.reduce((at, b) => (weightData.set(b, at), at + b.byteLength), 0);
	return {
		modelTopology: json.modelTopology,
		format: json.format,
		generatedBy: json.generatedBy,
		convertedBy: json.convertedBy,
		weightSpecs: groups.flatMap((g) => g.weights),
		weightData: weightData.buffer,
		userDefinedMetadata: json.userDefinedMetadata,
		signature: json.signature
	};
}

let wasmPathsSet = '';

/** Sets the backend explicitly; fails naming it when this context cannot run it. */
export async function useBackend(options: TfjsEngineOptions): Promise<void> {
	if (options.backend === 'wasm') {
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		if (options.wasmPaths && wasmPathsSet !== options.wasmPaths) {
			wasm.setWasmPaths(options.wasmPaths);
			wasmPathsSet = options.wasmPaths;
		}
	}
	let ok = false;
	try {
		ok = await tf.setBackend(options.backend);
	} catch (err) {
		throw new Error(`TF.js backend '${options.backend}' failed to start: ${err instanceof Error ? err.message : err}`);
	}
	if (!ok || tf.getBackend() !== options.backend) throw new Error(`TF.js backend '${options.backend}' is not available in this context`);
	await tf.ready();
}

type TfModel = tf.GraphModel | tf.LayersModel;

class TfjsSession implements EngineSession {
	readonly inputNames: readonly string[];
	readonly outputNames: readonly string[];

	constructor(
		private model: TfModel | null,
		readonly backend: Backend
	) {
		const m = model as TfModel;
		this.inputNames = m.inputs.map((i) => i.name);
		this.outputNames = m.outputs.map((o) => o.name);
	}

	private live(): TfModel {
		if (!this.model) throw new Error('This session was released');
		return this.model;
	}

	/** Feeds by input name (`x` or `x:0`), else by position. */
	private inputs(feeds: Record<string, PlainTensor>): tf.Tensor[] {
		const plain = Object.values(feeds);
		return this.inputNames.map((name, k) => {
			const f = feeds[name] ?? feeds[name.replace(/:\d+$/, '')] ?? plain[k];
			if (!f) throw new Error(`No value for model input '${name}'`);
			const dtype = f.dtype === 'int32' || f.dtype === 'int64' ? 'int32' : 'float32';
			return tf.tensor(Array.from(f.data as ArrayLike<number>, Number), f.dims, dtype);
		});
	}

	private async once(xs: tf.Tensor[]): Promise<{ t: tf.Tensor; data: ArrayLike<number> }[]> {
		const model = this.live();
		const outs = tf.tidy(() => {
			const y = model instanceof tf.GraphModel ? model.execute(xs.length === 1 ? xs[0] : Object.fromEntries(this.inputNames.map((n, k) => [n, xs[k]]))) : model.predict(xs.length === 1 ? xs[0] : xs);
			return Array.isArray(y) ? y : [y as tf.Tensor];
		});
		const data = await Promise.all(outs.map((t) => t.data() as Promise<ArrayLike<number>>));
		return outs.map((t, k) => ({ t, data: data[k] }));
	}

	async run(feeds: Record<string, PlainTensor>, options: RunOptions): Promise<RunResult> {
		const xs = this.inputs(feeds);
		try {
			for (let k = 1; k <= options.warmup; k++) {
				options.onRun?.('warmup', k, options.warmup);
				(await this.once(xs)).forEach((o) => o.t.dispose());
			}
			const latenciesMs: number[] = [];
			let last: { t: tf.Tensor; data: ArrayLike<number> }[] = [];
			for (let k = 1; k <= options.runs; k++) {
				options.onRun?.('run', k, options.runs);
				const t0 = performance.now();
				const outs = await this.once(xs);
				latenciesMs.push(performance.now() - t0);
				last.forEach((o) => o.t.dispose());
				last = outs;
			}
			const values: Record<string, Float32Array> = {};
			const outputs = last.map((o, k) => {
				const name = this.outputNames[k] ?? `output_${k}`;
				if (options.keepOutputs) values[name] = Float32Array.from(o.data);
				return previewTensor(name, o.t.dtype, o.t.shape, o.data);
			});
			last.forEach((o) => o.t.dispose());
			return { outputs, latenciesMs, ...(options.keepOutputs ? { values } : {}) };
		} finally {
			xs.forEach((x) => x.dispose());
		}
	}

	async release(): Promise<void> {
		this.model?.dispose();
		this.model = null;
	}
}

/** The WebAssembly.Memory of the tfjs wasm backend, when it is the active one. */
function wasmBackendHeap(): number | null {
	if (tf.getBackend() !== 'wasm') return null;
	const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array; wasmMemory?: WebAssembly.Memory } };
	return backend.wasm?.wasmMemory?.buffer.byteLength ?? backend.wasm?.HEAPU8?.buffer.byteLength ?? null;
}

export function createTfjsEngine(options: TfjsEngineOptions): TfjsEngine {
	const backendInfo = (): Backend => ({
		runtime: 'tensorflow.js',
		runtimeVersion: tf.version.tfjs,
		ep: options.backend,
		threads: options.backend === 'wasm' ? ((tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }).wasm?.tfjs?.getThreadsCount?.() ?? 1) : 1,
		simd: options.backend === 'wasm' && options.capabilities.wasmSimd,
		reason: `TF.js backend '${options.backend}' chosen explicitly`
	});
	const engine: TfjsEngine = {
		async load(bytes: Uint8Array) {
			return engine.loadFiles([{ name: 'model.json', bytes }]);
		},
		async loadFiles(files: TfjsFile[]) {
			await useBackend(options);
			const artifacts = artifactsFromFiles(files);
			const io = tf.io.fromMemory(artifacts);
			const isGraph = artifacts.format === 'graph-model' || Array.isArray((artifacts.modelTopology as { node?: unknown })?.node);
			const model = isGraph ? await tf.loadGraphModel(io) : await tf.loadLayersModel(io);
			return new TfjsSession(model, backendInfo());
		},
		memoryProbe: () => ({
			wasmHeap: () => {
				const bytes = wasmBackendHeap();
				return bytes === null
					? { bytes: null, basis: options.backend === 'wasm' ? 'the tfjs wasm backend exposes no heap here' : `the ${options.backend} backend has no WASM heap` }
					: { bytes, basis: 'size of the tfjs wasm backend’s WebAssembly.Memory' };
			},
			tensors: () => {
				const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
				return { bytes: m.numBytes, count: m.numTensors, gpuBytes: m.numBytesInGPU ?? null };
			}
		})
	};
	return engine;
}
