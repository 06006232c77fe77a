/**
 * The messages each worker understands and sends back, shared by both ends. One union per worker:
 * a request `{ id, type, … }` is answered by any number of `progress` replies, then exactly one
 * `result` or `error` with the same id.
 */
import type { ModelSummary } from '../core/analysis/summary';
import type { ModelFormatErrorCode } from '../core/formats/errors';
import type { ZooEntry } from '../core/zoo/manifest';
import type { MeasuredRun, PlainTensor } from '../engines/engine';

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
};

export interface AnalysisResult {
	fileName: string;
	fileBytes: number;
	summary: ModelSummary;
	/** Wall time of openModel and analyze in the worker, in milliseconds. */
	parseMs: number;
	analyzeMs: number;
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
