/**
 * Numeric views of initializers: every numeric dtype decoded to float32 for analysis and
 * transforms, and float32 values encoded back into an initializer of a chosen dtype.
 */
import { elementCount, tensorByteLength } from './dtype';
import {
	MINI_FLOATS, bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16,
	float8e8m0ToFloat32, miniFloatToFloat32
} from './half';
import type { DType, Initializer, WeightOrigin } from './types';

/** Reads the `index`-th element of a packed sub-byte tensor (2 or 4 bits per element, low bits first). */
function packedElement(bytes: Uint8Array, index: number, bits: number, signed: boolean): number {
	const perByte = 8 / bits;
	const raw = (bytes[Math.floor(index / perByte)] >> ((index % perByte) * bits)) & ((1 << bits) - 1);
	return signed && raw >= 1 << (bits - 1) ? raw - (1 << bits) : raw;
}

/**
 * Decodes an initializer's elements to float32 (int64 beyond 2^53 loses precision; complex and
 * string tensors are refused). The result is a fresh array, safe to modify.
 * @throws Error naming the tensor when its dtype is not numeric or its bytes are too few.
 */
export function readFloat32(init: Initializer): Float32Array {
	const count = elementCount(init.dims);
	const { dtype, data } = init;
	if (dtype === 'string' || dtype === 'complex64' || dtype === 'complex128' || dtype === 'undefined') {
		throw new Error(`Tensor '${init.name}' has dtype ${dtype}, which cannot be read as float32 numbers.`);
	}
	const needed = tensorByteLength(dtype, init.dims);
	if (data.byteLength < needed) {
		throw new Error(`Tensor '${init.name}' (${dtype}[${init.dims.join(',')}]) needs ${needed} bytes but holds ${data.byteLength}.`);
	}
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const out = new Float32Array(count);
	const read = elementReader(dtype, view, data);
	for (let i = 0; i < count; i++) out[i] = read(i);
	return out;
}

function elementReader(dtype: DType, view: DataView, bytes: Uint8Array): (i: number) => number {
	switch (dtype) {
		case 'float32': return (i) => view.getFloat32(i * 4, true);
		case 'float64': return (i) => view.getFloat64(i * 8, true);
		case 'float16': return (i) => float16ToFloat32(view.getUint16(i * 2, true));
		case 'bfloat16': return (i) => bfloat16ToFloat32(view.getUint16(i * 2, true));
		case 'int8': return (i) => view.getInt8(i);
		case 'uint8': case 'bool': return (i) => bytes[i];
		case 'int16': return (i) => view.getInt16(i * 2, true);
		case 'uint16': return (i) => view.getUint16(i * 2, true);
		case 'int32': return (i) => view.getInt32(i * 4, true);
		case 'uint32': return (i) => view.getUint32(i * 4, true);
		case 'int64': return (i) => Number(view.getBigInt64(i * 8, true));
		case 'uint64': return (i) => Number(view.getBigUint64(i * 8, true));
		case 'int4': return (i) => packedElement(bytes, i, 4, true);
		case 'uint4': return (i) => packedElement(bytes, i, 4, false);
		case 'int2': return (i) => packedElement(bytes, i, 2, true);
		case 'uint2': return (i) => packedElement(bytes, i, 2, false);
		case 'float4e2m1': return (i) => miniFloatToFloat32(packedElement(bytes, i, 4, false), MINI_FLOATS.float4e2m1);
		case 'float8e8m0': return (i) => float8e8m0ToFloat32(bytes[i]);
		case 'float8e4m3fn': case 'float8e4m3fnuz': case 'float8e5m2': case 'float8e5m2fnuz': {
			const format = MINI_FLOATS[dtype];
			return (i) => miniFloatToFloat32(bytes[i], format);
		}
		default: throw new Error(`No float32 reader for dtype ${dtype}.`);
	}
}

/** Integer dtypes that `fromFloat32` writes, with their range. */
const INT_RANGES: Partial<Record<DType, [number, number]>> = {
	int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767], uint16: [0, 65535],
	int32: [-2147483648, 2147483647], uint32: [0, 4294967295], bool: [0, 1],
	int4: [-8, 7], uint4: [0, 15], int2: [-2, 1], uint2: [0, 3]
};

/**
 * Encodes float32 values as a new initializer. Integer dtypes round half to even and saturate to
 * their range; sub-byte integers are packed low bits first. Float8/float4/complex/string are refused.
 * @throws Error naming the tensor when `values.length` does not match `dims` or the dtype is refused.
 */
export function fromFloat32(
	values: ArrayLike<number>, dtype: DType, dims: number[], name: string, origin: WeightOrigin
): Initializer {
	const count = elementCount(dims);
	if (values.length !== count) {
		throw new Error(`Tensor '${name}': ${values.length} values given for dims [${dims.join(',')}] (${count} elements).`);
	}
	const data = new Uint8Array(tensorByteLength(dtype, dims));
	const view = new DataView(data.buffer);
	const write = elementWriter(dtype, view, data, name);
	for (let i = 0; i < count; i++) write(i, values[i]);
	return { name, dtype, dims: [...dims], data, origin };
}

function roundEven(x: number): number {
	const r = Math.round(x);
	return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function elementWriter(dtype: DType, view: DataView, bytes: Uint8Array, name: string): (i: number, v: number) => void {
	switch (dtype) {
		case 'float32': return (i, v) => view.setFloat32(i * 4, v, true);
		case 'float64': return (i, v) => view.setFloat64(i * 8, v, true);
		case 'float16': return (i, v) => view.setUint16(i * 2, float32ToFloat16(v), true);
		case 'bfloat16': return (i, v) => view.setUint16(i * 2, float32ToBfloat16(v), true);
		case 'int64': return (i, v) => view.setBigInt64(i * 8, BigInt(roundEven(v)), true);
		case 'uint64': return (i, v) => view.setBigUint64(i * 8, BigInt(Math.max(0, roundEven(v))), true);
	}
	const range = INT_RANGES[dtype];
	if (!range) throw new Error(`Tensor '${name}': cannot encode float32 values as ${dtype}.`);
	const [lo, hi] = range;
	const clamp = (v: number) => (Number.isNaN(v) ? 0 : Math.min(hi, Math.max(lo, dtype === 'bool' ? (v ? 1 : 0) : roundEven(v))));
	const bits = dtype === 'int4' || dtype === 'uint4' ? 4 : dtype === 'int2' || dtype === 'uint2' ? 2 : 0;
	if (bits) {
		const perByte = 8 / bits;
		const mask = (1 << bits) - 1;
		return (i, v) => {
			bytes[Math.floor(i / perByte)] |= (clamp(v) & mask) << ((i % perByte) * bits);
		};
	}
	switch (dtype) {
		case 'int8': return (i, v) => view.setInt8(i, clamp(v));
		case 'int16': return (i, v) => view.setInt16(i * 2, clamp(v), true);
		case 'uint16': return (i, v) => view.setUint16(i * 2, clamp(v), true);
		case 'int32': return (i, v) => view.setInt32(i * 4, clamp(v), true);
		case 'uint32': return (i, v) => view.setUint32(i * 4, clamp(v), true);
		default: return (i, v) => { bytes[i] = clamp(v); };
	}
}
