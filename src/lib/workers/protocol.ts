/**
 * The messages each worker understands and sends back, shared by both ends. One union per worker:
 * a request `{ id, type, … }` is answered by any number of `progress` replies, then exactly one
 * `result` or `error` with the same id.
 */
import type { ModelSummary } from '../core/analysis/summary';
import type { ModelFormatErrorCode } from '../core/formats/errors';
import type { ZooEntry } from '../core/zoo/manifest';
import type { MeasuredRun, PlainTensor } from '../engines/engine';
import type { Capabilities } from '../engines/capabilities';
import type { Backend, LatencyStats } from '../engines/engine';
import type { LayerError } from '../core/transforms/calibration';
import type { Fidelity } from '../core/transforms/fidelity';
import type { ActivationPair, InPlaceCandidate } from '../core/transforms/fuse';
import type { TransformOptions } from '../core/transforms/pipeline';
import type { TransformReport } from '../core/transforms/types';
import type { MemoryData } from './memory-data';
import type { NamedFile } from '../core/formats/tfjs/model-json';
import type { TfjsWeightQuantization } from '../core/formats/tfjs/weight-quantization';
import type { RuntimeMemory } from '../engines/runtime-memory';
import type { TfjsBackendName } from '../engines/tfjs';

/** Why a request failed: a ModelFormatError's code, or where else it broke. */
export type WorkerErrorCode = ModelFormatErrorCode | 'engine' | 'internal';

export interface WorkerErrorInfo {
	code: WorkerErrorCode;
	name: string;
	message: string;
}

/** The replies any worker sends for a request of result type R and progress type P. */
export type Reply<R, P> =
	| { id: number; type: 'progress'; progress: P }
	| { id: number; type: 'result'; result: R }
	| { id: number; type: 'error'; error: WorkerErrorInfo };

// ---- analysis.worker.ts -------------------------------------------------------------------------

export type AnalysisStage = 'reading' | 'parsing' | 'inferring shapes' | 'summarising';

export interface AnalysisProgress {
	stage: AnalysisStage;
}

export type AnalysisRequest = {
	id: number;
	type: 'analyze';
	/** A copy of the file's bytes (the page keeps its own to run the model later). */
	bytes: Uint8Array;
	fileName: string;
	/** Values for symbolic dims; dims not named here fall back to what analyze() defaults to. */
	dims: Record<string, number>;
	/** For a zoo model: its entry, whose representative input supplies small input values (Silero's `sr`). */
	zoo?: ZooEntry;
	/** A multi-file drop (TF.js model.json + shards): opened with `openFiles` instead of `bytes`. */
	files?: NamedFile[];
};

export interface AnalysisResult {
	fileName: string;
	fileBytes: number;
	summary: ModelSummary;
	/** Wall time of openModel and analyze in the worker, in milliseconds. */
	parseMs: number;
	analyzeMs: number;
	/** What the memory views need (buffers, per-op costs, reordering); absent when that step failed. */
	memory?: MemoryData;
	/** Why `memory` is absent, naming the tensor or node where the core said so. */
	memoryError?: string;
	/** The model's format and metadata; for a multi-file drop also its ONNX export (what the ONNX tools run). */
	modelFormat?: string;
	modelMetadata?: Record<string, string>;
	onnxBytes?: Uint8Array;
}

export type AnalysisReply = Reply<AnalysisResult, AnalysisProgress>;

// ---- inference.worker.ts ------------------------------------------------------------------------

export type InferenceStage = 'loading runtime' | 'creating session' | 'preparing input' | 'warm-up' | 'run';

export interface InferenceProgress {
	stage: InferenceStage;
	/** For 'warm-up' and 'run': which one (from 1) of how many. */
	k?: number;
	n?: number;
}

/** Where the input comes from: a zoo entry's representative input, or values given by the page. */
export type FeedSource =
	| { kind: 'zoo'; entry: ZooEntry; dims: Record<string, number> }
	| { kind: 'tensors'; tensors: Record<string, PlainTensor>; basis: string };

export type InferenceRequest = {
	id: number;
	type: 'run';
	bytes: Uint8Array;
	/** Absolute URL of the self-hosted onnxruntime-web files, ending in '/'. */
	wasmPaths: string;
	feeds: FeedSource;
	warmup: number;
	runs: number;
};

export type InferenceResult = MeasuredRun & { inputBasis: string };

export type InferenceReply = Reply<InferenceResult, InferenceProgress>;

// ---- transform.worker.ts ------------------------------------------------------------------------

export type TransformStage = 'parsing' | 'fuse' | 'prune' | 'share' | 'quantize' | 'export' | 'analyse' | 'storage' | 'measure';

export interface TransformProgress {
	stage: TransformStage;
	/** Fraction of the whole request done, 0..1. */
	done: number;
}

export type TransformRequest = {
	id: number;
	type: 'transform';
	/** A copy of the original model's bytes (transferred). */
	bytes: Uint8Array;
	fileName: string;
	dims: Record<string, number>;
	/** A zoo model: its representative input feeds calibration and the comparison runs. */
	zoo?: ZooEntry;
	options: TransformOptions;
	/** Run original and variant in onnxruntime-web for fidelity and latency; absent: skip. */
	measure?: { wasmPaths: string; warmup: number; runs: number };
};

export interface VariantStorage {
	denseBytes: number;
	sparseBytes: number;
	compressedBytes: number;
}

/** Weight bytes a runtime holds in RAM, which differs from the file for some transforms. */
export interface RamFigure {
	weightBytes: number;
	basis: string;
	/** Largest float32 buffer made from a stored weight at run time (DequantizeLinear), bytes. */
	transientBytes: number;
}

export interface VariantComparison {
	/** Per graph output, against the float original on the same input. */
	fidelity: Record<string, Fidelity>;
	/** Predicted class of the original and the variant, for single-row classifier outputs. */
	classes: { output: string; original: number; variant: number }[];
	original: LatencyStats;
	variant: LatencyStats;
	/** variant median / original median. */
	latencyRatio: number;
	backend: Backend;
	capabilities: Capabilities;
	basis: string;
	inputBasis: string;
}

export interface TransformResult {
	/** The variant as ONNX (transferred). */
	bytes: Uint8Array;
	summary: ModelSummary;
	/** The original at the same dims, so every delta compares like with like. */
	summaryBefore: ModelSummary;
	reports: TransformReport[];
	storageBefore: VariantStorage;
	storageAfter: VariantStorage;
	ramBefore: RamFigure;
	ramAfter: RamFigure;
	/** Of the variant: elementwise ops that may write into an input's buffer, and Conv/Gemm + activation pairs. */
	inPlace: InPlaceCandidate[];
	activationPairs: ActivationPair[];
	comparison: VariantComparison | null;
	/** Quantized runs only: each Conv/Gemm/MatMul output against the float model that was quantized. */
	layerErrors: LayerError[];
	/** Why `comparison` is null when measuring was asked for. */
	comparisonError?: string;
	/** Wall time per stage, ms. */
	stageMs: Partial<Record<TransformStage, number>>;
}

export type TransformReply = Reply<TransformResult, TransformProgress>;

// ---- tfjs.worker.ts (runtimes and their own memory) ---------------------------------------------

export type RuntimeStage = 'starting runtime' | 'quantizing weights' | 'loading model' | 'warm-up' | 'run' | 'disposing';

export interface RuntimeProgress {
	stage: RuntimeStage;
	k?: number;
	n?: number;
}

export type RuntimeRequest = {
	id: number;
	type: 'measure';
	/** TF.js: model.json + shards, on `backend`; onnxruntime-web: the ONNX bytes, on its wasm EP. */
	runtime: 'tensorflow.js' | 'onnxruntime-web';
	backend: TfjsBackendName;
	files?: NamedFile[];
	bytes?: Uint8Array;
	/** TF.js only: store the weights this way before loading (TF.js dequantizes them at load). */
	weightQuantization?: TfjsWeightQuantization;
	/** Self-hosted tfjs-backend-wasm files and onnxruntime-web files, absolute URLs ending in '/'. */
	tfjsWasmPaths: string;
	ortWasmPaths: string;
	/** The model's float32 weight bytes from the analysis (onnxruntime-web has no tensor count of its own). */
	modelWeightBytes: number;
	feeds: Record<string, PlainTensor>;
	inputBasis: string;
	warmup: number;
	runs: number;
};

export interface RuntimeResult {
	kind: 'measured';
	basis: string;
	runtime: 'tensorflow.js' | 'onnxruntime-web';
	backend: Backend;
	capabilities: Capabilities;
	latency: LatencyStats;
	loadMs: number;
	memory: RuntimeMemory;
	/** Bytes of the weight shards as stored (TF.js), null for ONNX. */
	storedWeightBytes: number | null;
	weightQuantization: TfjsWeightQuantization;
	inputBasis: string;
}

export type RuntimeReply = Reply<RuntimeResult, RuntimeProgress>;

// ---- sweep.worker.ts ----------------------------------------------------------------------------

/** One combination of a sweep to transform and measure (see src/lib/core/sweep/combinations.ts). */
export interface SweepItem {
	index: number;
	label: string;
	options: TransformOptions;
}

export type SweepRequest = {
	id: number;
	type: 'sweep';
	/** The original model's bytes (transferred); every combination starts from them. */
	bytes: Uint8Array;
	fileName: string;
	dims: Record<string, number>;
	zoo?: ZooEntry;
	items: SweepItem[];
	/** Fewer runs than the single-variant path, so a sweep stays quick. */
	measure: { wasmPaths: string; warmup: number; runs: number };
};

/** The figures of one combination; `error` says why it has none. */
export interface SweepPoint {
	index: number;
	label: string;
	options: TransformOptions;
	/** Bytes of the weights in the exported file, sparse-encoded, and deflated. */
	storage: VariantStorage;
	/** Weight bytes onnxruntime holds in RAM (fp16 is widened to float32 at load). */
	ram: RamFigure;
	/** Median latency of the variant measured in this browser, and of the original in the same rounds. */
	latency: LatencyStats | null;
	originalLatency: LatencyStats | null;
	/** The worst output's SQNR against the float original on the representative input, dB (Infinity: identical). */
	sqnrDb: number | null;
	/** The worst output's top-1 agreement, 0..1. */
	top1Agreement: number | null;
	/** Of the variant, for the modelled latency, energy and footprint on the scenario's device. */
	memory: MemoryData | null;
	error?: string;
	elapsedMs: number;
}

export interface SweepProgress {
	/** Combinations finished, and how many in all. */
	k: number;
	n: number;
	/** The combination being worked on, and its stage. */
	label: string;
	stage: TransformStage | 'modelling';
	/** Set when a combination has just finished, so the chart fills in as the sweep goes. */
	point?: SweepPoint;
}

export interface SweepResult {
	points: SweepPoint[];
	/** How latency was measured (runs, backend, threads) and which input, for every point. */
	basis: string;
	inputBasis: string;
	capabilities: Capabilities | null;
	elapsedMs: number;
}

export type SweepReply = Reply<SweepResult, SweepProgress>;

// ---- tfjs.worker.ts (runtimes and their own memory) ---------------------------------------------

export type RuntimeStage = 'starting runtime' | 'quantizing weights' | 'loading model' | 'warm-up' | 'run' | 'disposing';

export interface RuntimeProgress {
	stage: RuntimeStage;
	k?: number;
	n?: number;
}

export type RuntimeRequest = {
	id: number;
	type: 'measure';
	/** TF.js: model.json + shards, on `backend`; onnxruntime-web: the ONNX bytes, on its wasm EP. */
	runtime: 'tensorflow.js' | 'onnxruntime-web';
	backend: TfjsBackendName;
	files?: NamedFile[];
	bytes?: Uint8Array;
	/** TF.js only: store the weights this way before loading (TF.js dequantizes them at load). */
	weightQuantization?: TfjsWeightQuantization;
	/** Self-hosted tfjs-backend-wasm files and onnxruntime-web files, absolute URLs ending in '/'. */
	tfjsWasmPaths: string;
	ortWasmPaths: string;
	/** The model's float32 weight bytes from the analysis (onnxruntime-web has no tensor count of its own). */
	modelWeightBytes: number;
	feeds: Record<string, PlainTensor>;
	inputBasis: string;
	warmup: number;
	runs: number;
};

export interface RuntimeResult {
	kind: 'measured';
	basis: string;
	runtime: 'tensorflow.js' | 'onnxruntime-web';
	backend: Backend;
	capabilities: Capabilities;
	latency: LatencyStats;
	loadMs: number;
	memory: RuntimeMemory;
	/** Bytes of the weight shards as stored (TF.js), null for ONNX. */
	storedWeightBytes: number | null;
	weightQuantization: TfjsWeightQuantization;
	inputBasis: string;
}

export type RuntimeReply = Reply<RuntimeResult, RuntimeProgress>;

// ---- errors -------------------------------------------------------------------------------------

const formatCodes: readonly string[] = ['empty', 'truncated', 'not-onnx', 'too-large', 'invalid', 'unsupported'];

/** Any thrown value → the plain error that crosses the worker boundary, keeping a ModelFormatError's code. */
export function toErrorInfo(err: unknown, fallbackCode: WorkerErrorCode = 'internal'): WorkerErrorInfo {
	if (err instanceof Error) {
		const code = (err as { code?: unknown }).code;
		const known = typeof code === 'string' && formatCodes.includes(code);
		return { code: known ? (code as WorkerErrorCode) : fallbackCode, name: err.name, message: err.message };
	}
	return { code: fallbackCode, name: 'Error', message: String(err) };
}
