/**
 * The app's workers, created here (never in components). Each falls back to calling its handler
 * in-thread where `Worker` is missing; the handlers are imported lazily so they stay out of the
 * first screen's JavaScript.
 */
import type {
	AnalysisProgress,
	AnalysisRequest,
	AnalysisResult,
	InferenceProgress,
	InferenceRequest,
	InferenceResult,
	SweepProgress,
	SweepRequest,
	SweepResult,
	TransformProgress,
	TransformRequest,
	TransformResult
} from '../workers/protocol';
import type { RuntimeProgress, RuntimeRequest, RuntimeResult } from '../workers/protocol';
import { RpcClient, type WorkerLoss } from '../workers/rpc';

/**
 * `onWorkerLost`: told when the worker died on its own and was restarted (its cell shows the notice).
 * Clients without one report to the page-wide notices (state/worker-notices.svelte.ts), so every
 * worker's restart is told.
 */
export function createAnalysisClient(onWorkerLost?: (reason: string, loss: WorkerLoss) => void) {
	return new RpcClient<AnalysisRequest, AnalysisResult, AnalysisProgress>({
		name: 'analysis',
		onWorkerLost,
		createWorker: () => new Worker(new URL('../workers/analysis.worker.ts', import.meta.url), { type: 'module' }),
		fallback: async (req, progress) => (await import('../workers/analysis-handler')).handleAnalysis(req, progress),
		timeoutMs: 120_000
	});
}

export function createInferenceClient(onWorkerLost?: (reason: string, loss: WorkerLoss) => void) {
	return new RpcClient<InferenceRequest, InferenceResult, InferenceProgress>({
		name: 'inference',
		onWorkerLost,
		createWorker: () => new Worker(new URL('../workers/inference.worker.ts', import.meta.url), { type: 'module' }),
		fallback: async (req, progress) => (await import('../workers/inference-handler')).handleInference(req, progress),
		timeoutMs: 300_000
	});
}

export function createTransformClient() {
	return new RpcClient<TransformRequest, TransformResult, TransformProgress>({
		name: 'transform',
		createWorker: () => new Worker(new URL('../workers/transform.worker.ts', import.meta.url), { type: 'module' }),
		fallback: async (req, progress) => (await import('../workers/transform-handler')).handleTransform(req, progress),
		timeoutMs: 300_000
	});
}

export function createSweepClient() {
	return new RpcClient<SweepRequest, SweepResult, SweepProgress>({
		name: 'sweep',
		createWorker: () => new Worker(new URL('../workers/sweep.worker.ts', import.meta.url), { type: 'module' }),
		fallback: async (req, progress) => (await import('../workers/sweep-handler')).handleSweep(req, progress),
		timeoutMs: 1_800_000
	});
}

/** The runtimes worker (TF.js backends, onnxruntime-web, and their own memory); one per measurement. */
export function createRuntimeClient() {
	return new RpcClient<RuntimeRequest, RuntimeResult, RuntimeProgress>({
		name: 'runtimes',
		createWorker: () => new Worker(new URL('../workers/tfjs.worker.ts', import.meta.url), { type: 'module' }),
		fallback: async (req, progress) => (await import('../workers/tfjs-handler')).handleRuntime(req, progress),
		timeoutMs: 300_000
	});
}
