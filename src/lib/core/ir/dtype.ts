/**
 * Element sizes of the IR's dtypes. Sub-byte types (int4, int2, float4e2m1) are packed as ONNX packs
 * them, so sizes are given in bits and byte lengths round up.
 */
import type { DType } from './types';

const BITS: Record<DType, number> = {
	float32: 32, float16: 16, bfloat16: 16, float64: 64,
	int8: 8, uint8: 8, int16: 16, uint16: 16, int32: 32, uint32: 32, int64: 64, uint64: 64,
	bool: 8, string: 0,
	int4: 4, uint4: 4, int2: 2, uint2: 2,
	float8e4m3fn: 8, float8e4m3fnuz: 8, float8e5m2: 8, float8e5m2fnuz: 8, float8e8m0: 8, float4e2m1: 4,
	complex64: 64, complex128: 128, undefined: 0
};

/** Bits per element; 0 for 'string' and 'undefined', which have no fixed size. */
export function dtypeBits(dtype: DType): number {
	return BITS[dtype];
}

/**
 * Bytes per element, fractional for sub-byte types (0.5 for int4, 0.25 for int2); 0 for 'string'
 * and 'undefined'.
 */
export function dtypeByteSize(dtype: DType): number {
	return BITS[dtype] / 8;
}

/** Number of elements of a tensor with these dims (1 for a scalar, `dims = []`). */
export function elementCount(dims: readonly number[]): number {
	let count = 1;
	for (const d of dims) count *= d;
	return count;
}

/** Bytes that the packed elements of a tensor occupy, rounded up to whole bytes for sub-byte types. */
export function tensorByteLength(dtype: DType, dims: readonly number[]): number {
	return Math.ceil((elementCount(dims) * BITS[dtype]) / 8);
}

/** Whether a string names one of the IR's dtypes. */
export function isDType(name: string): name is DType {
	return Object.prototype.hasOwnProperty.call(BITS, name);
}
