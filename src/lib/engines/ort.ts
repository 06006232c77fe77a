/**
 * onnxruntime-web behind the Engine interface. Runs inside a worker: the runtime's .mjs/.wasm files
 * are self-hosted under the app's `ort/` folder (copied there by scripts/zoo-sync.js), threads are
 * used only when the context is cross-origin isolated, and WebGPU is tried only when an adapter exists.
 */
import * as ort from 'onnxruntime-web';
import { threadCount, type Capabilities } from './capabilities';
import type { Backend, Engine, EngineSession, PlainTensor, RunOptions, RunResult } from './engine';
import { previewTensor } from './stats';

export interface OrtEngineOptions {
	/** Absolute URL of the folder holding ort-wasm-simd-threaded*.{mjs,wasm}, ending in '/'. */
	wasmPaths: string;
	capabilities: Capabilities;
	/** Try WebGPU first when an adapter exists (default true). */
	preferWebgpu?: boolean;
}

const typedArrays = {
	float32: Float32Array,
	float64: Float64Array,
	int8: Int8Array,
	uint8: Uint8Array,
	int16: Int16Array,
	uint16: Uint16Array,
	int32: Int32Array,
	uint32: Uint32Array,
	int64: BigInt64Array,
	uint64: BigUint64Array,
	bool: Uint8Array,
	float16: Uint16Array
} as const;
type OrtNumericType = keyof typeof typedArrays;

/** Plain data → ort.Tensor, converting the array to the typed array the dtype needs. */
export function toOrtTensor(t: PlainTensor): ort.Tensor {
	const Ctor = typedArrays[t.dtype as OrtNumericType];
	if (!Ctor) throw new Error(`Cannot feed a ${t.dtype} tensor to onnxruntime-web`);
	let data = t.data as unknown;
	if (!(data instanceof Ctor)) {
		const bigint = Ctor === BigInt64Array || Ctor === BigUint64Array;
		const values = Array.from(t.data, (x) => (bigint ? BigInt(x) : Number(x)));
		data = new (Ctor as unknown as new (v: unknown[]) => unknown)(values);
	}
	return new ort.Tensor(t.dtype as OrtNumericType, data as Float32Array, t.dims);
}

let configured: { wasmPaths: string; threads: number } | null = null;

/** ort.env is global and fixed once the runtime has started: configure it once per worker. */
function configure(options: OrtEngineOptions): number {
	const threads = threadCount(options.capabilities);
	if (!configured) {
		// Empty in Node (tests, CLI): onnxruntime-web then finds its files inside the package.
		if (options.wasmPaths) ort.env.wasm.wasmPaths = options.wasmPaths;
		ort.env.wasm.numThreads = threads;
		// Already in a worker: a second proxy worker would only add a copy of every tensor.
		ort.env.wasm.proxy = false;
		ort.env.logLevel = 'error';
		configured = { wasmPaths: options.wasmPaths, threads };
	}
	return configured.threads;
}

class OrtSession implements EngineSession {
	constructor(
		private session: ort.InferenceSession | null,
		readonly backend: Backend
	) {}

	get inputNames() {
		return this.live().inputNames;
	}

	get outputNames() {
		return this.live().outputNames;
	}

	private live(): ort.InferenceSession {
		if (!this.session) throw new Error('This session was released');
		return this.session;
	}

	async run(feeds: Record<string, PlainTensor>, options: RunOptions): Promise<RunResult> {
		const session = this.live();
		const tensors: Record<string, ort.Tensor> = {};
		for (const name of session.inputNames) {
			if (!feeds[name]) throw new Error(`No value for model input '${name}'`);
			tensors[name] = toOrtTensor(feeds[name]);
		}
		const once = async () => {
			const out = await session.run(tensors);
			return out;
		};
		for (let k = 1; k <= options.warmup; k++) {
			options.onRun?.('warmup', k, options.warmup);
			disposeAll(await once());
		}
		const latenciesMs: number[] = [];
		let last: ort.InferenceSession.OnnxValueMapType | null = null;
		for (let k = 1; k <= options.runs; k++) {
			options.onRun?.('run', k, options.runs);
			const t0 = performance.now();
			const out = await once();
			latenciesMs.push(performance.now() - t0);
			if (last) disposeAll(last);
			last = out;
		}
		const values: Record<string, Float32Array> = {};
		const outputs = last
			? await Promise.all(
					session.outputNames.map(async (name) => {
						const t = last![name];
						const data = (t.location === 'cpu' ? t.data : await t.getData()) as ArrayLike<number>;
						if (options.keepOutputs) values[name] = Float32Array.from(data as ArrayLike<number | bigint>, Number);
						return previewTensor(name, t.type, t.dims as number[], data);
					})
				)
			: [];
		if (last) disposeAll(last);
		for (const t of Object.values(tensors)) t.dispose();
		return { outputs, latenciesMs, ...(options.keepOutputs ? { values } : {}) };
	}

	async release(): Promise<void> {
		const s = this.session;
		this.session = null;
		await s?.release();
	}
}

function disposeAll(values: ort.InferenceSession.OnnxValueMapType) {
	for (const v of Object.values(values)) v.dispose();
}

/** Creates sessions with WebGPU where an adapter exists, falling back to WASM when that fails. */
export function createOrtEngine(options: OrtEngineOptions): Engine {
	return {
		async load(bytes: Uint8Array): Promise<EngineSession> {
			const threads = configure(options);
			const caps = options.capabilities;
			const base = { runtime: 'onnxruntime-web' as const, runtimeVersion: ort.env.versions.web ?? '', simd: caps.wasmSimd };
			const wasmReason = [
				caps.webgpu === 'adapter' ? null : `WebGPU: ${caps.webgpu === 'absent' ? 'not in this browser' : 'no adapter'}`,
				threads > 1 ? `${threads} threads (isolated)` : caps.crossOriginIsolated ? 'one thread' : 'one thread: page not cross-origin isolated'
			]
				.filter(Boolean)
				.join('; ');
			if (caps.webgpu === 'adapter' && options.preferWebgpu !== false) {
				try {
					const session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu'] });
					return new OrtSession(session, { ...base, ep: 'webgpu', threads, reason: 'WebGPU adapter present' });
				} catch (err) {
					const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
					const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
					return new OrtSession(session, { ...base, ep: 'wasm', threads, reason: `WebGPU failed (${why}); ${wasmReason}` });
				}
			}
			const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
			return new OrtSession(session, { ...base, ep: 'wasm', threads, reason: wasmReason });
		}
	};
}
