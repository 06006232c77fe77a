/**
 * What the inference worker does for one request: load onnxruntime-web lazily, make the input,
 * create a session, warm up, time N runs, and always release the session. A failure to get memory is
 * thrown as an OutOfMemoryError (code 'out-of-memory'). The WASM heap is read before and after creating the
 * session and after the runs; the page runs each measurement in a fresh worker, so the growth is this model's.
 */
import { probeCapabilities } from '../engines/capabilities';
import type { PlainTensor } from '../engines/engine';
import { classifyRuntimeError } from '../engines/oom';
import { latencyStats } from '../engines/stats';
import { trackWasmMemories, wasmMemoryBytes } from '../engines/wasm-heap';
import type { MeasuredHeap } from '../core/memory/measured';
import type { FeedSource, InferenceProgress, InferenceRequest, InferenceResult } from './protocol';

async function makeFeeds(source: FeedSource): Promise<{ feeds: Record<string, PlainTensor>; basis: string }> {
	if (source.kind === 'tensors') return { feeds: source.tensors, basis: source.basis };
	const { representativeInput } = await import('../core/zoo/inputs');
	const feeds = representativeInput(source.entry, source.dims) as Record<string, PlainTensor>;
	return { feeds, basis: `the zoo's representative input (${source.entry.representativeInput})` };
}

export async function handleInference(
	req: InferenceRequest,
	progress: (p: InferenceProgress) => void
): Promise<InferenceResult> {
	progress({ stage: 'loading runtime' });
	const [{ createOrtEngine }, capabilities] = await Promise.all([import('../engines/ort'), probeCapabilities()]);
	// After the capability probe (its 64 KiB test memory is not the runtime's), before the runtime creates its
	// WebAssembly.Memory at the first session, so that only the runtime's heap is seen.
	const tracking = trackWasmMemories();
	const engine = createOrtEngine({ wasmPaths: req.wasmPaths, capabilities });

	progress({ stage: 'preparing input' });
	const { feeds, basis } = await makeFeeds(req.feeds);

	progress({ stage: 'creating session' });
	const heapBefore = wasmMemoryBytes();
	const t0 = performance.now();
	// An allocation that does not fit the wasm32 heap becomes an 'out-of-memory' error the page can act on.
	const session = await engine.load(req.bytes).catch((err) => {
		throw classifyRuntimeError(err, 'creating the session');
	});
	const sessionCreateMs = performance.now() - t0;
	const heapAfterSession = wasmMemoryBytes();
	try {
		const { outputs, latenciesMs } = await session.run(feeds, {
			warmup: req.warmup,
			runs: req.runs,
			onRun: (phase, k, n) => progress({ stage: phase === 'warmup' ? 'warm-up' : 'run', k, n })
		});
		const backend = session.backend;
		const heapAfterRun = wasmMemoryBytes();
		return {
			kind: 'measured',
			basis: `measured in this browser: ${req.warmup} warm-up then ${req.runs} timed runs, ${backend.ep}${backend.ep === 'wasm' ? `, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : ''}`,
			latency: latencyStats(latenciesMs, req.warmup),
			sessionCreateMs,
			backend,
			capabilities,
			outputs,
			inputBasis: basis,
			heap: heapOf(tracking, [heapBefore, heapAfterSession, heapAfterRun], req.warmup + req.runs, backend.ep)
		};
	} catch (err) {
		throw classifyRuntimeError(err, 'running the model');
	} finally {
		// After a trap the heap may be unusable; a failing release must not hide why the run failed.
		await session.release().catch(() => undefined);
	}
}

/** The three heap readings as the ledger's measured figures, or why there are none. */
function heapOf(tracking: boolean, [before, session, run]: (number | null)[], runs: number, ep: string): MeasuredHeap {
	if (!tracking || before === null || session === null || run === null) return { available: false, basis: 'WebAssembly.Memory cannot be tracked in this context' };
	if (run === 0) return { available: false, basis: "onnxruntime-web's WebAssembly.Memory was not seen (its heap was created inside the module, not through the constructor)" };
	const gpu = ep === 'webgpu' ? '; on WebGPU the weights and activations live in GPU buffers, outside it' : '';
	return { available: true, beforeSessionBytes: before, afterSessionBytes: session, afterRunBytes: run, runs, basis: `size of onnxruntime-web's WebAssembly.Memory${gpu}` };
}
