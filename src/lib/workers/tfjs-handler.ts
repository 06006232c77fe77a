/**
 * What the runtimes worker does for one request: start one runtime (TF.js on an explicit backend, or
 * onnxruntime-web), load the model, warm up, time N runs, dispose, and read the runtime's own memory at
 * each phase. One request per fresh worker keeps one runtime's heap out of the next one's figures.
 */
import { probeCapabilities } from '../engines/capabilities';
import { classifyRuntimeError } from '../engines/oom';
import { MemoryRecorder, agentMemory, type MemoryProbe } from '../engines/runtime-memory';
import { latencyStats } from '../engines/stats';
import type { RuntimeProgress, RuntimeRequest, RuntimeResult } from './protocol';

const none: MemoryProbe = { wasmHeap: () => ({ bytes: null, basis: 'runtime not started' }), tensors: () => null };

/** onnxruntime-web's heap: a tracked WebAssembly.Memory, else the agent's memory when isolated, else nothing. */
async function ortProbe(): Promise<MemoryProbe> {
	const { heapFigure, trackWasmMemories } = await import('../engines/wasm-heap');
	trackWasmMemories();
	return {
		wasmHeap: async () => {
			const h = heapFigure();
			if (h.bytes !== null && /WebAssembly\.Memory/.test(h.basis)) return h;
			const agent = await agentMemory();
			if (agent !== null) return { bytes: agent, basis: 'performance.measureUserAgentSpecificMemory() (the whole worker: WASM heap, JS heap, code)' };
			return { bytes: null, basis: 'onnxruntime-web’s WASM memory is not reachable here and measureUserAgentSpecificMemory needs cross-origin isolation' };
		},
		tensors: () => null
	};
}

/** A one-node ONNX model (float32[1] → Identity), to start onnxruntime-web's WASM without the real model. */
async function identityModelBytes(): Promise<Uint8Array> {
	const { exportOnnx } = await import('../core/formats/onnx/export');
	const x = { name: 'x', dtype: 'float32' as const, shape: [1] };
	return exportOnnx({
		format: 'onnx',
		graph: { name: 'runtime-start', nodes: [{ name: 'y', opType: 'Identity', domain: '', inputs: ['x'], outputs: ['y'], attrs: {} }], inputs: [x], outputs: [{ ...x, name: 'y' }], initializers: {}, valueInfo: {} },
		irVersion: 8,
		opsetImports: [{ domain: '', version: 13 }],
		producerName: 'tightfit',
		producerVersion: '',
		metadata: {}
	});
}

export async function handleRuntime(req: RuntimeRequest, progress: (p: RuntimeProgress) => void): Promise<RuntimeResult> {
	const recorder = new MemoryRecorder(none);
	await recorder.take('worker start');
	progress({ stage: 'starting runtime' });
	const capabilities = await probeCapabilities();
	const onRun = (phase: 'warmup' | 'run', k: number, n: number) => progress({ stage: phase === 'warmup' ? 'warm-up' : 'run', k, n });
	const quantization = req.weightQuantization ?? 'none';

	if (req.runtime === 'onnxruntime-web') {
		if (!req.bytes) throw new Error('No ONNX bytes to run');
		recorder.setProbe(await ortProbe());
		const { createOrtEngine } = await import('../engines/ort');
		const engine = createOrtEngine({ wasmPaths: req.ortWasmPaths, capabilities, preferWebgpu: false });
		// onnxruntime-web instantiates its WASM with the first session: open and release a one-node model first,
		// so 'runtime ready' is the runtime's own heap before the model's session, as TF.js's backend init gives.
		await (await engine.load(await identityModelBytes())).release();
		await recorder.take('runtime ready');
		progress({ stage: 'loading model' });
		const t0 = performance.now();
		const session = await engine.load(req.bytes).catch((err) => {
			throw classifyRuntimeError(err, 'creating the session');
		});
		const loadMs = performance.now() - t0;
		await recorder.take('after load');
		let latenciesMs: number[];
		try {
			({ latenciesMs } = await session.run(req.feeds, { warmup: req.warmup, runs: req.runs, onRun }));
			await recorder.take('after run');
		} catch (err) {
			throw classifyRuntimeError(err, 'running the model');
		} finally {
			progress({ stage: 'disposing' });
			await session.release().catch(() => undefined);
		}
		await recorder.take('after dispose');
		return {
			kind: 'measured',
			basis: `measured in this browser: ${req.warmup} warm-up then ${req.runs} timed runs, onnxruntime-web wasm, ${session.backend.threads} thread${session.backend.threads === 1 ? '' : 's'}`,
			runtime: 'onnxruntime-web',
			backend: session.backend,
			capabilities,
			latency: latencyStats(latenciesMs, req.warmup),
			loadMs,
			memory: recorder.result(req.modelWeightBytes, false),
			storedWeightBytes: null,
			weightQuantization: 'none',
			inputBasis: req.inputBasis
		};
	}

	if (!req.files?.length) throw new Error('No TF.js model files to run');
	let files = req.files;
	if (quantization !== 'none') {
		progress({ stage: 'quantizing weights' });
		const { quantizeTfjsFiles } = await import('../core/formats/tfjs/weight-quantization');
		files = quantizeTfjsFiles(files, quantization);
	}
	const storedWeightBytes = files.filter((f) => !/\.json$/i.test(f.name)).reduce((s, f) => s + f.bytes.byteLength, 0);
	const { createTfjsEngine, useBackend } = await import('../engines/tfjs');
	const options = { backend: req.backend, wasmPaths: req.tfjsWasmPaths, capabilities };
	const engine = createTfjsEngine(options);
	await useBackend(options);
	recorder.setProbe(engine.memoryProbe());
	const ready = await recorder.take('runtime ready');
	progress({ stage: 'loading model' });
	const t0 = performance.now();
	const session = await engine.loadFiles(files).catch((err) => {
		throw classifyRuntimeError(err, 'loading the model', 'tensorflow.js');
	});
	const loadMs = performance.now() - t0;
	const loaded = await recorder.take('after load');
	let latenciesMs: number[];
	try {
		({ latenciesMs } = await session.run(req.feeds, { warmup: req.warmup, runs: req.runs, onRun }));
		await recorder.take('after run');
	} catch (err) {
		throw classifyRuntimeError(err, 'running the model', 'tensorflow.js');
	} finally {
		progress({ stage: 'disposing' });
		// After an out-of-memory failure the backend may refuse to dispose; that must not hide why the run failed.
		await session.release().catch(() => undefined);
	}
	await recorder.take('after dispose');
	const weightBytes = (loaded.tensorBytes ?? 0) - (ready.tensorBytes ?? 0);
	const b = session.backend;
	return {
		kind: 'measured',
		basis: `measured in this browser: ${req.warmup} warm-up then ${req.runs} timed runs, TensorFlow.js ${b.runtimeVersion} ${b.ep} backend${b.ep === 'wasm' ? `, ${b.threads} thread${b.threads === 1 ? '' : 's'}` : ''}; each run includes reading the outputs back`,
		runtime: 'tensorflow.js',
		backend: b,
		capabilities,
		latency: latencyStats(latenciesMs, req.warmup),
		loadMs,
		memory: recorder.result(weightBytes, req.backend === 'cpu'),
		storedWeightBytes,
		weightQuantization: quantization,
		inputBasis: req.inputBasis
	};
}
