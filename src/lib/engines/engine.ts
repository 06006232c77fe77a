/**
 * The interface every in-browser runtime (onnxruntime-web now, TensorFlow.js later) sits behind.
 * Implementations live in workers; the page only sees the plain results.
 */
import type { Capabilities } from './capabilities';

/** A feed or output tensor as plain data: crosses worker boundaries by structured clone. */
export interface PlainTensor {
	dtype: string;
	dims: number[];
	data: ArrayLike<number | bigint> & { length: number };
}

/** Which backend actually ran, e.g. { ep: 'wasm', threads: 4, simd: true }. */
export interface Backend {
	runtime: 'onnxruntime-web' | 'tensorflow.js';
	runtimeVersion: string;
	/** onnxruntime-web's execution provider, or TensorFlow.js's backend ('webgl', 'wasm', 'cpu'). */
	ep: 'wasm' | 'webgpu' | 'webgl' | 'cpu';
	threads: number;
	simd: boolean;
	/** Why this backend and not a faster one (e.g. "WebGPU: no adapter", "not cross-origin isolated"). */
	reason: string;
}

/** One output of the last timed run: its shape and a short preview of its values. */
export interface OutputPreview {
	name: string;
	dtype: string;
	dims: number[];
	/** The first few values, as numbers. */
	head: number[];
	min: number;
	max: number;
	mean: number;
}

/** Latencies of the timed runs in milliseconds, with their summary. */
export interface LatencyStats {
	runs: number;
	warmup: number;
	medianMs: number;
	p10Ms: number;
	p90Ms: number;
	minMs: number;
	maxMs: number;
	samplesMs: number[];
}

/**
 * A latency measured in this browser, with everything needed to interpret it: the backend that ran
 * and the capabilities of the context it ran in.
 */
export interface MeasuredRun {
	kind: 'measured';
	basis: string;
	latency: LatencyStats;
	sessionCreateMs: number;
	backend: Backend;
	capabilities: Capabilities;
	outputs: OutputPreview[];
}

export interface RunOptions {
	warmup: number;
	runs: number;
	/** Called before warm-up and before each timed run (k counts from 1). */
	onRun?: (phase: 'warmup' | 'run', k: number, n: number) => void;
	/** Also return every output of the last run in full, as float32 (fidelity checks, calibration). */
	keepOutputs?: boolean;
}

export interface RunResult {
	outputs: OutputPreview[];
	latenciesMs: number[];
	/** With `keepOutputs`: each output of the last run, converted to float32. */
	values?: Record<string, Float32Array>;
}

/** A loaded model, ready to run; release() frees its memory (WASM heap or GPU buffers). */
export interface EngineSession {
	readonly backend: Backend;
	readonly inputNames: readonly string[];
	readonly outputNames: readonly string[];
	run(feeds: Record<string, PlainTensor>, options: RunOptions): Promise<RunResult>;
	release(): Promise<void>;
}

export interface Engine {
	load(bytes: Uint8Array): Promise<EngineSession>;
}
