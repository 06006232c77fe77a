/**
 * Typed arrays over tensor bytes, in the element types onnxruntime-web uses for each dtype
 * (int64 → BigInt64Array, float16/bfloat16 → Uint16Array bit patterns, bool → Uint8Array,
 * sub-byte and float8 types → their packed bytes as Uint8Array).
 */
import type { DType } from './types';

/** Any typed array a tensor's elements may live in. */
export type TensorData =
	| Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array
	| Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

type TypedArrayClass = { new (buffer: ArrayBuffer, byteOffset?: number, length?: number): TensorData; BYTES_PER_ELEMENT: number };

const CLASS: Partial<Record<DType, TypedArrayClass>> = {
	float32: Float32Array, float64: Float64Array, float16: Uint16Array, bfloat16: Uint16Array,
	int8: Int8Array, uint8: Uint8Array, bool: Uint8Array, int16: Int16Array, uint16: Uint16Array,
	int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
	complex64: Float32Array, complex128: Float64Array
};

/**
 * A typed array holding a copy of little-endian tensor bytes (copied so the result is aligned and
 * independent of the source buffer). Types without a native array (sub-byte, float8) come back as
 * their packed bytes in a Uint8Array.
 * @throws Error for dtype 'string' and 'undefined', which have no byte form.
 */
export function typedArrayFromBytes(dtype: DType, bytes: Uint8Array): TensorData {
	if (dtype === 'string' || dtype === 'undefined') throw new Error(`dtype ${dtype} has no typed-array form.`);
	const Class = CLASS[dtype] ?? Uint8Array;
	const copy = new ArrayBuffer(bytes.byteLength);
	new Uint8Array(copy).set(bytes);
	return new Class(copy, 0, bytes.byteLength / Class.BYTES_PER_ELEMENT);
}

/** The little-endian bytes behind a typed array (a view, not a copy). */
export function bytesOfTypedArray(data: ArrayBufferView): Uint8Array {
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
