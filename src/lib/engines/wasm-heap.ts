/**
 * The WASM heap of onnxruntime-web, as a number. The runtime exposes no handle on its memory, so before it
 * starts we wrap the `WebAssembly.Memory` constructor (its threaded build creates its heap with it) and keep
 * every memory made in this context. A WASM memory only grows, so its size is the high-water mark since the
 * context started: to compare policies, measure each in a fresh worker.
 */

const memories: WebAssembly.Memory[] = [];
let installed = false;

/** Starts tracking memories created from now on in this context; returns false when it cannot. */
export function trackWasmMemories(): boolean {
	if (installed) return true;
	const wasm = globalThis.WebAssembly as typeof WebAssembly | undefined;
	if (!wasm?.Memory) return false;
	const Original = wasm.Memory;
	class TrackedMemory extends Original {
		constructor(descriptor: WebAssembly.MemoryDescriptor) {
			super(descriptor);
			memories.push(this);
		}
	}
	try {
		wasm.Memory = TrackedMemory as typeof WebAssembly.Memory;
	} catch {
		return false;
	}
	installed = true;
	return true;
}

/**
 * The largest WASM memory created in this context since tracking started: 0 before the runtime made one,
 * null when tracking could not be installed.
 */
export function wasmMemoryBytes(): number | null {
	if (!installed) return null;
	return Math.max(0, ...memories.map((m) => m.buffer.byteLength));
}

export interface HeapFigure {
	bytes: number | null;
	basis: string;
}

/**
 * The largest tracked WASM memory; else Chrome's `performance.memory.usedJSHeapSize` (JS heap only, a weak
 * stand-in); else null with the reason.
 */
export function heapFigure(): HeapFigure {
	const sizes = memories.map((m) => m.buffer.byteLength);
	if (sizes.length && Math.max(...sizes) > 0) {
		return { bytes: Math.max(...sizes), basis: "size of onnxruntime-web's WebAssembly.Memory (high-water mark, a fresh worker per policy)" };
	}
	const perf = globalThis.performance as Performance & { memory?: { usedJSHeapSize: number } };
	if (perf?.memory) return { bytes: perf.memory.usedJSHeapSize, basis: 'performance.memory.usedJSHeapSize (JS heap, not the WASM heap)' };
	return { bytes: null, basis: 'this browser exposes no heap figure' };
}
