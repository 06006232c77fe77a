/**
 * Inputs for a model that has no representative input (a user's own file): deterministic
 * pseudo-random values of the right dtype and shape, so two runs of the same scenario are comparable.
 */
import type { PlainTensor } from './engine';

export interface InputSpec {
	name: string;
	dtype: string;
	shape: readonly (number | string | null)[] | null;
}

/** Resolves an input's shape with the given dims; returns the name of the first unresolved dim on failure. */
export function resolveShape(
	spec: InputSpec,
	dims: Record<string, number>
): { shape: number[] } | { missing: string } {
	if (!spec.shape) return { missing: `${spec.name} (unknown rank)` };
	const shape: number[] = [];
	for (const [axis, d] of spec.shape.entries()) {
		if (typeof d === 'number' && d >= 0) shape.push(d);
		else if (typeof d === 'string' && Number.isInteger(dims[d]) && dims[d] > 0) shape.push(dims[d]);
		else return { missing: typeof d === 'string' ? d : `${spec.name}[${axis}]` };
	}
	return { shape };
}

/** mulberry32: a tiny seeded generator; quality is irrelevant here, determinism is the point. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const MAX_SYNTHETIC_ELEMENTS = 64 * 1024 * 1024;

/**
 * Floats uniform in [0, 1); integers 0 (indices and lengths must stay in range); bools false.
 * Throws naming the input when a dim has no value or the tensor would be unreasonably large.
 */
export function syntheticFeeds(inputs: readonly InputSpec[], dims: Record<string, number>, seed = 1): Record<string, PlainTensor> {
	const random = mulberry32(seed);
	const feeds: Record<string, PlainTensor> = {};
	for (const input of inputs) {
		const resolved = resolveShape(input, dims);
		if ('missing' in resolved) throw new Error(`Input '${input.name}' needs a value for dim '${resolved.missing}'`);
		const count = resolved.shape.reduce((a, b) => a * b, 1);
		if (count > MAX_SYNTHETIC_ELEMENTS) throw new Error(`Input '${input.name}' would have ${count} elements; choose smaller dims`);
		let data: PlainTensor['data'];
		if (input.dtype === 'float32') data = Float32Array.from({ length: count }, random);
		else if (input.dtype === 'float64') data = Float64Array.from({ length: count }, random);
		else if (input.dtype === 'int64') data = new BigInt64Array(count);
		else if (input.dtype === 'uint64') data = new BigUint64Array(count);
		else if (input.dtype === 'int32') data = new Int32Array(count);
		else if (input.dtype === 'bool' || input.dtype === 'uint8') data = new Uint8Array(count);
		else if (input.dtype === 'int8') data = new Int8Array(count);
		else throw new Error(`Input '${input.name}' has dtype ${input.dtype}, which the synthetic input does not make`);
		feeds[input.name] = { dtype: input.dtype, dims: resolved.shape, data };
	}
	return feeds;
}
