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
import type { LoadingMetrics } from '../core/loading/metrics';
import type { CacheKind, DeviceSpec, LoadingPolicy, ModelSpec, SchedulerKind, SimulationResult } from '../core/loading/types';
import type { StreamSpec } from '../core/loading/workload';
import type { NamedFile } from '../core/formats/tfjs/model-json';
import type { TfjsWeightQuantization } from '../core/formats/tfjs/weight-quantization';
import type { RuntimeMemory } from '../engines/runtime-memory';
import type { TfjsBackendName } from '../engines/tfjs';
import type { DeviceProfile } from '../core/devices/types';
import type { MeasuredHeap } from '../core/memory/measured';
import type { SweepResult as TilingSweepResult, TilingReport } from '../core/tiling';

/** Why a request failed: a ModelFormatError's code, or where else it broke. */
/** 'out-of-memory': a runtime could not get memory (see engines/oom.ts); the page offers smaller variants. */
export type WorkerErrorCode = ModelFormatErrorCode | 'engine' | 'internal' | 'out-of-memory';

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

/** `heap`: onnxruntime-web's WASM heap before and after creating the session and after the runs (the ledger's measured rows). */
export type InferenceResult = MeasuredRun & { inputBasis: string; heap: MeasuredHeap };

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

// ---- loading.worker.ts --------------------------------------------------------------------------

export type LoadingStage = 'analysing' | 'simulating' | 'splitting' | 'storing' | 'measuring';

export interface LoadingProgress {
	stage: LoadingStage;
	/** What is being worked on (a model id, a block). */
	detail?: string;
}

/** A zoo model to turn into loader layers: its bytes, analysed at `dims`. */
export interface LoadingModelInput {
	id: string;
	bytes: Uint8Array;
	fileName: string;
	dims: Record<string, number>;
	zoo?: ZooEntry;
}

/** The three policies the measured mode really executes in onnxruntime-web. */
export type MeasuredPolicyKind = 'bulk' | 'linear' | 'interleaved';

export type LoadingRequest =
	| { id: number; type: 'prepare'; models: LoadingModelInput[] }
	| {
			id: number;
			type: 'simulate';
			models: ModelSpec[];
			streams: StreamSpec[];
			seed: number;
			device: DeviceSpec;
			/** Infinity for no limit. */
			ceilingBytes: number;
			policies: LoadingPolicy[];
			/** Index in `policies` whose full result (intervals, memory curve) comes back. */
			detailIndex: number;
			cache: CacheKind;
			scheduler: SchedulerKind;
			/** Identical devices sharing the workload (1 when absent). */
			devices?: number;
	  }
	| {
			id: number;
			type: 'measure';
			model: LoadingModelInput;
			/** Where split blocks are kept between runs (Cache API), e.g. `ppocr-mobile-v2-cls@<dims>`. */
			storeKey: string;
			blockCount: number;
			policy: MeasuredPolicyKind;
			warmup: number;
			runs: number;
			wasmPaths: string;
			/** Emulated storage: each read waits as long as this storage would take (a timer, so it overlaps compute as I/O does). */
			storage?: { bandwidthBytesPerSecond: number; latencyMs: number };
	  };

export interface PolicyOutcome {
	policy: LoadingPolicy;
	label: string;
	metrics: LoadingMetrics;
}

export interface MeasuredPolicy {
	policy: MeasuredPolicyKind;
	blocks: number;
	/** Bytes of all block files (bulk: the whole model file). */
	storedBytes: number;
	latency: LatencyStats;
	/** Session creation time inside one timed pass (bulk: the whole model's session), median. */
	sessionCreateMs: number;
	/** Peak WASM/JS heap figure, or null when this browser exposes none; `heapBasis` says which. */
	heapBytes: number | null;
	heapBasis: string;
	/** Where the block bytes came from ('Cache API', 'memory'), and whether they were already stored. */
	store: string;
	backend: Backend;
	capabilities: Capabilities;
	basis: string;
}

export type LoadingResult =
	| { type: 'prepare'; models: ModelSpec[]; analyseMs: number }
	| { type: 'simulate'; outcomes: PolicyOutcome[]; detail: SimulationResult; simulateMs: number; tasks: number }
	| { type: 'measure'; measured: MeasuredPolicy };

export type LoadingReply = Reply<LoadingResult, LoadingProgress>;

// ---- tiling.worker.ts ---------------------------------------------------------------------------

export type TilingStage = 'building' | 'evaluating' | 'sweeping' | 'exporting' | 'measuring';

export interface TilingProgress {
	stage: TilingStage;
	detail?: string;
}

/** The CNN to tile: the seeded reference network, or the loaded model's bytes (`key` caches it in the worker). */
export type TilingNetwork =
	| { kind: 'reference'; inputSize: number }
	| { kind: 'model'; key: string; bytes: Uint8Array; fileName: string; dims: Record<string, number>; zoo?: ZooEntry };

export interface TilingConfig {
	network: TilingNetwork;
	/** First fused window layer a (0 = the input); the layers before it run untiled. */
	from: number;
	/** Fused window layers L, counted from `from`. */
	layers: number;
	grid: { rows: number; cols: number };
	devices: number;
	/** The scenario's device (of the untiled stack). */
	profile: DeviceProfile;
	/** Profile of each of the `devices` devices, in order. */
	profiles: DeviceProfile[];
	linkBytesPerSecond: number;
	gateway: boolean;
	/** Activation memory a device may use (the sweep's ceiling), or null for none. */
	ceilingBytes: number | null;
}

export type TilingRequest =
	| { id: number; type: 'evaluate'; config: TilingConfig; sweep: boolean }
	| { id: number; type: 'measure'; config: TilingConfig; variant: 'untiled' | 'tiled'; warmup: number; runs: number; wasmPaths: string };

/** One variant (the untiled stack or the stitched tiles) run in onnxruntime-web in this browser. */
export interface TiledRun {
	variant: 'untiled' | 'tiled';
	latency: LatencyStats;
	/** Peak WASM/JS heap figure, or null when this browser exposes none; `heapBasis` says which. */
	heapBytes: number | null;
	heapBasis: string;
	/** The stack's output of the last run, float32, NCHW. */
	output: Float32Array;
	outputShape: number[];
	modelBytes: number;
	backend: Backend;
	basis: string;
}

export type TilingResult =
	| {
			type: 'evaluate';
			report: TilingReport;
			/** Every fusable window layer from the input (the most a + L can be), and why the stack stops there. */
			maxLayers: number;
			/** Layers a stack can start at (one value crosses the cut before each). */
			starts: number[];
			stoppedAt?: string;
			sweep: TilingSweepResult | null;
			networkName: string;
			evaluateMs: number;
	  }
	| { type: 'measure'; run: TiledRun };

export type TilingReply = Reply<TilingResult, TilingProgress>;

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

const formatCodes: readonly string[] = ['empty', 'truncated', 'not-onnx', 'too-large', 'invalid', 'unsupported', 'out-of-memory'];

/** Any thrown value → the plain error that crosses the worker boundary, keeping a ModelFormatError's code. */
export function toErrorInfo(err: unknown, fallbackCode: WorkerErrorCode = 'internal'): WorkerErrorInfo {
	if (err instanceof Error) {
		const code = (err as { code?: unknown }).code;
		const known = typeof code === 'string' && formatCodes.includes(code);
		return { code: known ? (code as WorkerErrorCode) : fallbackCode, name: err.name, message: err.message };
	}
	return { code: fallbackCode, name: 'Error', message: String(err) };
}
