/**
 * The measured mode's worker side: split the model into blocks (once; the blocks are kept in the block
 * store), then run one policy cold `warmup + runs` times in onnxruntime-web and report the median wall time
 * and the heap. The page runs each policy in a fresh worker, so the WASM heap's high-water mark is that
 * policy's own.
 */
import { exportOnnx } from '../core/formats/onnx/export';
import { openModel } from '../core/formats/registry';
import { splitIntoBlocks } from '../core/loading/split-blocks';
import { inferShapes } from '../core/shapes/infer';
import { openBlockStore, type BlockSet, type BlockStore } from '../engines/block-store';
import { describeCapabilities, probeCapabilities } from '../engines/capabilities';
import type { Backend } from '../engines/engine';
import type { InputSpec } from '../engines/feeds';
import { configureOrt, ortVersion, runPass } from '../engines/ort-blocks';
import { latencyStats, quantile } from '../engines/stats';
import { heapFigure, trackWasmMemories } from '../engines/wasm-heap';
import { zooInputValues } from './analysis-handler';
import type { LoadingProgress, LoadingRequest, MeasuredPolicy } from './protocol';
import { makeFeeds } from './transform-measure';

type MeasureRequest = Extract<LoadingRequest, { type: 'measure' }>;

async function splitModel(req: MeasureRequest): Promise<BlockSet> {
	const bytes = req.model.bytes instanceof Uint8Array ? req.model.bytes : new Uint8Array(req.model.bytes);
	const model = openModel(bytes, req.model.fileName);
	const inputValues = req.model.zoo ? await zooInputValues(req.model.zoo, req.model.dims) : undefined;
	const { values } = inferShapes(model, req.model.dims, { inputValues });
	const blocks = splitIntoBlocks(model, values, req.blockCount);
	return {
		whole: exportOnnx(model),
		blocks: blocks.map((b) => ({ inputs: b.inputs, outputs: b.outputs, bytes: exportOnnx(b.model) }))
	};
}

/**
 * Reads from the block store that take as long as `storage` would: a timer for latency + bytes / bandwidth
 * after the real read, so a read really overlaps a running block (as a DMA read from flash would) and only the
 * session creation that follows needs the thread.
 */
function emulatedRead(key: string, store: BlockStore, storage: { bandwidthBytesPerSecond: number; latencyMs: number }) {
	return async (i: number): Promise<Uint8Array> => {
		const t0 = performance.now();
		const bytes = await store.read(key, i);
		const ms = storage.latencyMs + (bytes.byteLength / storage.bandwidthBytesPerSecond) * 1000;
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - (performance.now() - t0))));
		return bytes;
	};
}

export async function measurePolicy(req: MeasureRequest, progress: (p: LoadingProgress) => void): Promise<MeasuredPolicy> {
	// Before the runtime creates its heap, so that the heap is seen.
	trackWasmMemories();
	const store = openBlockStore();
	const key = `${req.storeKey}/${req.blockCount}`;
	let set = await store.get(key);
	const reused = !!set;
	if (!set) {
		progress({ stage: 'splitting', detail: req.model.id });
		set = await splitModel(req);
		progress({ stage: 'storing', detail: `${set.blocks.length} blocks` });
		await store.put(key, set);
	}
	const capabilities = await probeCapabilities();
	const threads = configureOrt(req.wasmPaths, capabilities);
	const model = openModel(set.whole, req.model.fileName);
	const { feeds, basis: inputBasis } = await makeFeeds(req.model.zoo, model.graph.inputs as InputSpec[], req.model.dims);
	const blocks = set.blocks;
	const read = req.storage ? emulatedRead(key, store, req.storage) : (i: number) => store.read(key, i);
	const times: number[] = [];
	const creates: number[] = [];
	const passes = req.warmup + req.runs;
	for (let k = 0; k < passes; k++) {
		progress({ stage: 'measuring', detail: `${req.policy} ${k + 1}/${passes}` });
		const pass = await runPass(req.policy, blocks, read, feeds);
		if (k >= req.warmup) {
			times.push(pass.totalMs);
			creates.push(pass.createMs);
		}
	}
	const heap = heapFigure();
	const backend: Backend = {
		runtime: 'onnxruntime-web',
		runtimeVersion: ortVersion(),
		ep: 'wasm',
		threads,
		simd: capabilities.wasmSimd,
		reason: describeCapabilities(capabilities)
	};
	const storedBytes = req.policy === 'bulk' ? set.whole.byteLength : blocks.reduce((s, b) => s + b.bytes.byteLength, 0);
	return {
		policy: req.policy,
		blocks: req.policy === 'bulk' ? 1 : blocks.length,
		storedBytes,
		latency: latencyStats(times, req.warmup),
		sessionCreateMs: quantile([...creates].sort((a, b) => a - b), 0.5),
		heapBytes: heap.bytes,
		heapBasis: heap.basis,
		store: `${store.kind}${reused ? ', blocks already stored' : ', blocks stored now'}`,
		backend,
		capabilities,
		basis: `measured in this browser: ${req.warmup} untimed + ${req.runs} timed cold passes (read from the ${store.kind}${req.storage ? `, each read stretched to ${req.storage.latencyMs ? `${req.storage.latencyMs} ms + ` : ''}its bytes at ${(req.storage.bandwidthBytesPerSecond / 1e6).toFixed(1)} MB/s (emulated storage)` : ''}, create, run, release), median; wasm, ${threads} thread${threads === 1 ? '' : 's'}; input: ${inputBasis}`
	};
}
