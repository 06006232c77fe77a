/**
 * What this browser (or worker) offers a WASM/WebGPU runtime. Recorded with every measured figure so
 * that a shared link can explain why someone else's numbers differ.
 */

export interface Capabilities {
	/** COOP/COEP in force: the only way SharedArrayBuffer, and so threaded WASM, is allowed. */
	crossOriginIsolated: boolean;
	sharedArrayBuffer: boolean;
	/** WASM fixed-width SIMD (onnxruntime-web 1.30 ships SIMD builds only). */
	wasmSimd: boolean;
	/** Threaded WASM possible: isolated, SharedArrayBuffer present, and shared memory constructible. */
	wasmThreads: boolean;
	/** 'adapter' only after requestAdapter() returned one; 'api' when navigator.gpu exists but was not asked. */
	webgpu: 'adapter' | 'no-adapter' | 'api' | 'absent';
	/** Logical cores the browser reports (it may round or cap this). */
	hardwareConcurrency: number;
	userAgent: string;
}

/**
 * The smallest module using SIMD, the bytes wasm-feature-detect validates:
 * `(func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)`. validate() is false without SIMD.
 */
const SIMD_PROBE = new Uint8Array([
	0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11
]);

interface ScopeLike {
	crossOriginIsolated?: boolean;
	SharedArrayBuffer?: unknown;
	WebAssembly?: typeof WebAssembly;
	navigator?: { hardwareConcurrency?: number; userAgent?: string; gpu?: unknown };
}

function wasmSimd(wasm: typeof WebAssembly | undefined): boolean {
	try {
		return !!wasm && wasm.validate(SIMD_PROBE);
	} catch {
		return false;
	}
}

function sharedMemory(wasm: typeof WebAssembly | undefined): boolean {
	try {
		if (!wasm) return false;
		const memory = new wasm.Memory({ initial: 1, maximum: 1, shared: true });
		return memory.buffer instanceof SharedArrayBuffer;
	} catch {
		return false;
	}
}

/** Synchronous part of the detection: everything but asking WebGPU for an adapter. */
export function detectCapabilities(scope: ScopeLike = globalThis as ScopeLike): Capabilities {
	const isolated = scope.crossOriginIsolated === true;
	const sab = typeof scope.SharedArrayBuffer === 'function';
	const nav = scope.navigator;
	return {
		crossOriginIsolated: isolated,
		sharedArrayBuffer: sab,
		wasmSimd: wasmSimd(scope.WebAssembly),
		wasmThreads: isolated && sab && sharedMemory(scope.WebAssembly),
		webgpu: nav?.gpu ? 'api' : 'absent',
		hardwareConcurrency: Math.max(1, nav?.hardwareConcurrency ?? 1),
		userAgent: nav?.userAgent ?? 'unknown'
	};
}

interface GpuLike {
	requestAdapter(): Promise<unknown>;
}

/** Full detection: also asks for a WebGPU adapter (headless Chromium usually has the API but none). */
export async function probeCapabilities(scope: ScopeLike = globalThis as ScopeLike): Promise<Capabilities> {
	const caps = detectCapabilities(scope);
	if (caps.webgpu === 'api') {
		try {
			const adapter = await (scope.navigator!.gpu as GpuLike).requestAdapter();
			caps.webgpu = adapter ? 'adapter' : 'no-adapter';
		} catch {
			caps.webgpu = 'no-adapter';
		}
	}
	return caps;
}

/** Threads onnxruntime-web should use: up to 4 when isolated, else exactly 1. */
export function threadCount(caps: Capabilities): number {
	return caps.wasmThreads ? Math.min(4, caps.hardwareConcurrency) : 1;
}

/** One line a person can read, e.g. "isolated · SIMD · threads · WebGPU: no adapter · 8 cores". */
export function describeCapabilities(caps: Capabilities): string {
	const gpu = { adapter: 'WebGPU adapter', 'no-adapter': 'WebGPU: no adapter', api: 'WebGPU API', absent: 'no WebGPU' };
	return [
		caps.crossOriginIsolated ? 'cross-origin isolated' : 'not isolated',
		caps.wasmSimd ? 'WASM SIMD' : 'no WASM SIMD',
		caps.wasmThreads ? 'threads possible' : 'no threads',
		gpu[caps.webgpu],
		`${caps.hardwareConcurrency} logical cores`
	].join(' · ');
}
