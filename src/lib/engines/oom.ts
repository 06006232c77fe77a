/**
 * Telling an out-of-memory failure of a runtime from any other failure, by its message: onnxruntime-web
 * and TF.js report them as plain errors whose wording depends on where the allocation failed.
 */

/** What an out-of-memory error thrown by a worker carries, so the page can offer a smaller variant. */
export class OutOfMemoryError extends Error {
	readonly code = 'out-of-memory' as const;
	constructor(message: string) {
		super(message);
		this.name = 'OutOfMemoryError';
	}
}

/**
 * Messages that mean the runtime could not get memory. A wasm32 heap that cannot grow past 4 GB shows
 * as a trap ("memory access out of bounds", "Aborted()" after an `abort()` in malloc), a RangeError
 * from `new ArrayBuffer`/`WebAssembly.Memory.grow`, onnxruntime's own allocator messages, or its
 * SafeInt overflow when a tensor's byte size does not fit a 32-bit size_t.
 */
const OOM_PATTERNS: readonly RegExp[] = [
	/out of memory/i,
	/memory access out of bounds/i,
	/\bbad_alloc\b/i,
	/failed to allocate/i,
	/\ballocation fail/i,
	/array buffer allocation failed/i,
	/could not allocate/i,
	/cannot enlarge memory/i,
	/WebAssembly\.Memory.*grow|Memory\.grow/i,
	/invalid (typed )?array length/i,
	/SafeIntOnOverflow|Integer overflow/i,
	/\bAborted\(\)/,
	/\bOOM\b/
];

/** True when `err` (an Error, a message, anything thrown) reads as a failure to get memory. */
export function isOutOfMemory(err: unknown): boolean {
	const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
	return OOM_PATTERNS.some((p) => p.test(message));
}

/** Why each runtime runs out where it does, for the message a person reads. */
const WHERE: Record<'onnxruntime-web' | 'tensorflow.js', string> = {
	'onnxruntime-web': "A 32-bit WebAssembly heap ends at 4 GB, and this model's weights and activations do not fit in it",
	'tensorflow.js':
		"TF.js keeps every weight and activation as a tensor on its backend (WebGL textures, or a 32-bit WebAssembly heap that ends at 4 GB), and this model's do not fit"
};

/**
 * `err` as an OutOfMemoryError when it is one (with `doing` saying what the runtime was doing), else
 * unchanged, so a worker can rethrow it and the page learns the code.
 */
export function classifyRuntimeError(err: unknown, doing: string, runtime: keyof typeof WHERE = 'onnxruntime-web'): unknown {
	if (!isOutOfMemory(err)) return err;
	const detail = err instanceof Error ? err.message : String(err);
	return new OutOfMemoryError(`${runtime} ran out of memory while ${doing} (${detail.trim().slice(0, 300)}). ${WHERE[runtime]}`);
}
