/**
 * The runtime's own memory, per runtime and backend: snapshots at fixed phases (worker start, runtime ready,
 * after load, after a run, after dispose) of the WASM heap, TF.js's `tf.memory()` and the JS heap, each
 * figure with the basis it was read from. A WASM memory only grows, so its size after dispose is what the
 * runtime keeps; what `dispose` released shows in tensor bytes and counts, not in the heap size.
 */

export type MemoryPhase = 'worker start' | 'runtime ready' | 'after load' | 'after run' | 'after dispose';

export interface MemorySnapshot {
	phase: MemoryPhase;
	/** TF.js `tf.memory().numBytes` (all backends' tensor bytes), null for onnxruntime-web. */
	tensorBytes: number | null;
	tensors: number | null;
	/** TF.js WebGL: `tf.memory().numBytesInGPU`. */
	gpuBytes: number | null;
	wasmHeapBytes: number | null;
	jsHeapBytes: number | null;
}

export interface RuntimeMemory {
	snapshots: MemorySnapshot[];
	/** How the WASM heap was read ("WebAssembly.Memory of the tfjs wasm backend", …) or why it is absent. */
	wasmHeapBasis: string;
	jsHeapBasis: string;
	/** float32 bytes of the model's weights, as the runtime holds them after load. */
	weightBytes: number;
	/** The runtime's memory beyond the weights after a run; null when this browser exposes no figure. */
	overheadBytes: number | null;
	overheadBasis: string;
	/** Between 'after run' and 'after dispose'. */
	released: { tensorBytes: number | null; tensors: number | null; wasmHeapBytes: number | null };
}

/** A reader for one phase's figures; the runtime supplies its own (tf.memory, its WASM memory). */
export interface MemoryProbe {
	wasmHeap(): { bytes: number | null; basis: string } | Promise<{ bytes: number | null; basis: string }>;
	tensors(): { bytes: number; count: number; gpuBytes: number | null } | null;
}

type PerformanceWithMemory = Performance & {
	memory?: { usedJSHeapSize: number };
	measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
};

/** `performance.memory.usedJSHeapSize` where Chrome exposes it (windows and, in recent Chrome, workers). */
export function jsHeap(): { bytes: number | null; basis: string } {
	const perf = globalThis.performance as PerformanceWithMemory | undefined;
	if (perf?.memory && perf.memory.usedJSHeapSize > 0) return { bytes: perf.memory.usedJSHeapSize, basis: 'performance.memory.usedJSHeapSize' };
	if (typeof process !== 'undefined' && typeof process.memoryUsage === 'function') return { bytes: process.memoryUsage().heapUsed, basis: 'process.memoryUsage().heapUsed (Node)' };
	return { bytes: null, basis: 'this browser exposes no JS heap figure here' };
}

/**
 * `performance.measureUserAgentSpecificMemory()` (cross-origin isolated pages only): everything this agent
 * holds, WASM heaps included. It may wait for a garbage collection, so it is given `timeoutMs`.
 */
export async function agentMemory(timeoutMs = 3000): Promise<number | null> {
	const perf = globalThis.performance as PerformanceWithMemory | undefined;
	if (!perf?.measureUserAgentSpecificMemory || !(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) return null;
	const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
	try {
		const result = await Promise.race([perf.measureUserAgentSpecificMemory(), timeout]);
		return result ? result.bytes : null;
	} catch {
		return null;
	}
}

/** Collects snapshots through a probe, then folds them into a RuntimeMemory. */
export class MemoryRecorder {
	readonly snapshots: MemorySnapshot[] = [];
	private wasmBasis = '';
	private jsBasis = '';

	constructor(private probe: MemoryProbe) {}

	setProbe(probe: MemoryProbe): void {
		this.probe = probe;
	}

	async take(phase: MemoryPhase): Promise<MemorySnapshot> {
		const wasm = await this.probe.wasmHeap();
		const js = jsHeap();
		const t = this.probe.tensors();
		if (wasm.bytes !== null || !this.wasmBasis) this.wasmBasis = wasm.basis;
		this.jsBasis = js.basis;
		const snap: MemorySnapshot = { phase, tensorBytes: t?.bytes ?? null, tensors: t?.count ?? null, gpuBytes: t?.gpuBytes ?? null, wasmHeapBytes: wasm.bytes, jsHeapBytes: js.bytes };
		this.snapshots.push(snap);
		return snap;
	}

	/**
	 * Overhead = the runtime's own figure after a run minus the weights: the WASM heap when there is one
	 * (it holds weights, activations and the runtime's arena), else the growth of the JS heap since the worker
	 * started (runtime code and its caches; WebGL keeps weights in textures, outside it).
	 */
	result(weightBytes: number, weightsInJsHeap: boolean): RuntimeMemory {
		const at = (phase: MemoryPhase) => this.snapshots.find((s) => s.phase === phase);
		const start = at('worker start');
		const run = at('after run');
		const end = at('after dispose');
		let overheadBytes: number | null = null;
		let overheadBasis = 'this browser exposes neither the WASM heap nor the JS heap here';
		if (run?.wasmHeapBytes != null) {
			overheadBytes = Math.max(0, run.wasmHeapBytes - weightBytes);
			overheadBasis = `WASM heap after a run (${this.wasmBasis}) minus the weights`;
		} else if (run?.jsHeapBytes != null && start?.jsHeapBytes != null) {
			overheadBytes = Math.max(0, run.jsHeapBytes - start.jsHeapBytes - (weightsInJsHeap ? weightBytes : 0));
			overheadBasis = `growth of the JS heap from worker start to after a run (${this.jsBasis})${weightsInJsHeap ? ' minus the weights' : ', weights held outside it'}`;
		}
		const diff = (a: number | null | undefined, b: number | null | undefined) => (a != null && b != null ? a - b : null);
		return {
			snapshots: this.snapshots,
			wasmHeapBasis: this.wasmBasis,
			jsHeapBasis: this.jsBasis,
			weightBytes,
			overheadBytes,
			overheadBasis,
			released: { tensorBytes: diff(run?.tensorBytes, end?.tensorBytes), tensors: diff(run?.tensors, end?.tensors), wasmHeapBytes: diff(run?.wasmHeapBytes, end?.wasmHeapBytes) }
		};
	}
}
