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
 * from `new ArrayBuffer`/`WebAssembly.Memory.grow` (or a typed array longer than V8 allows, which is
 * how TF.js's CPU backend fails on an activation of more than 2^32 elements), onnxruntime's own
 * allocator messages, its SafeInt overflow when a tensor's byte size does not fit a 32-bit size_t, or
 * its execution frame's "Tensor shape is too large" when the element count itself does not
 * (onnxruntime/core/framework/execution_frame.cc), or TF.js WebGL's texture that would be larger than
 * the GPU allows (the tensor does not fit the backend's storage, as a heap that cannot grow).
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
	/Tensor shape is too large/i,
	/Requested texture size .* greater than WebGL maximum/i,
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

/** A smaller variant the page offers after an out-of-memory failure. */
export type SmallerVariantId = 'int8-weight' | 'tiling';

export interface SmallerVariant {
	id: SmallerVariantId;
	/** The button's text. */
	label: string;
	/** What it changes in memory, so the person can choose. */
	effect: string;
}

/**
 * The variants on offer, the same in every cell that runs a model: int8 weight-only quantization (a
 * quarter of the float32 weight bytes) and fused-tile partitioning (only a tile of the largest
 * activations alive at once). Applying one changes the scenario (see state/smaller-variant.ts).
 */
export const SMALLER_VARIANTS: readonly SmallerVariant[] = [
	{
		id: 'int8-weight',
		label: 'Quantize the weights to int8 (weight-only)',
		effect: 'one byte per weight instead of four; helps when the weights are what does not fit'
	},
	{
		id: 'tiling',
		label: 'Tile the activations (fused-tile partitioning)',
		effect: 'computes the largest activations a tile at a time; helps when one activation is what does not fit'
	}
];

/** What to offer after a failure with `code`: every smaller variant after an out-of-memory, nothing otherwise. */
export function smallerVariantsFor(code: string): readonly SmallerVariant[] {
	return code === 'out-of-memory' ? SMALLER_VARIANTS : [];
}
