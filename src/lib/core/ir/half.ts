/**
 * Bit-level conversions between float32 and the narrow float formats (float16, bfloat16, the
 * float8 and float4 families), one element at a time, plus bulk float16 conversions for whole
 * tensors (a decode table, an inlined encode loop) that give the same bits. Rounding is to nearest,
 * ties to even.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The IEEE float32 bit pattern of a number (rounded to float32 first). */
export function float32Bits(value: number): number {
	f32[0] = value;
	return u32[0];
}

/** The number that a float32 bit pattern stands for. */
export function float32FromBits(bits: number): number {
	u32[0] = bits >>> 0;
	return f32[0];
}

/** Decodes an IEEE half-precision (binary16) bit pattern. */
export function float16ToFloat32(bits: number): number {
	const sign = bits & 0x8000 ? -1 : 1;
	const exponent = (bits >> 10) & 0x1f;
	const fraction = bits & 0x3ff;
	if (exponent === 0) return sign * fraction * 2 ** -24;
	if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
	return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Encodes a number as an IEEE half-precision bit pattern, overflowing to ±Infinity. */
export function float32ToFloat16(value: number): number {
	const bits = float32Bits(value);
	const sign = (bits >>> 16) & 0x8000;
	const exponent = (bits >>> 23) & 0xff;
	const mantissa = bits & 0x7fffff;
	if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
	const e = exponent - 127 + 15;
	if (e >= 0x1f) return sign | 0x7c00;
	if (e <= 0) {
		if (e < -10) return sign;
		const full = mantissa | 0x800000;
		const shift = 14 - e;
		let half = full >> shift;
		const rest = full & ((1 << shift) - 1);
		const midpoint = 1 << (shift - 1);
		if (rest > midpoint || (rest === midpoint && half & 1)) half++;
		return sign | half;
	}
	let half = (e << 10) | (mantissa >> 13);
	const rest = mantissa & 0x1fff;
	if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
	return sign | half;
}

let halfTable: Float32Array | undefined;

/**
 * Decodes float16 bit patterns in bulk through a 65536-entry table (256 KiB, built on first use),
 * giving exactly what `float16ToFloat32` gives element by element.
 */
export function float16ArrayToFloat32(bits: Uint16Array, out = new Float32Array(bits.length)): Float32Array {
	if (!halfTable) {
		halfTable = new Float32Array(65536);
		for (let b = 0; b < 65536; b++) halfTable[b] = float16ToFloat32(b);
	}
	const table = halfTable;
	for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
	return out;
}

/**
 * Encodes float32 values as float16 bit patterns in bulk: the arithmetic of `float32ToFloat16`
 * inlined over an Int32 view of the values, same bits. Round to nearest even is added, not
 * branched on (h += (rest + half − 1 + (h & 1)) >> shift): the dropped bits of weights are random,
 * so a branch on them mispredicts half the time. A carry out of the mantissa steps the exponent,
 * up to Infinity, as the rule requires.
 */
export function float32ArrayToFloat16(values: Float32Array, out = new Uint16Array(values.length)): Uint16Array {
	const words = new Int32Array(values.buffer, values.byteOffset, values.length);
	for (let i = 0; i < words.length; i++) {
		const bits = words[i];
		const sign = (bits >>> 16) & 0x8000;
		const exponent = (bits >>> 23) & 0xff;
		const mantissa = bits & 0x7fffff;
		const e = exponent - 112;
		let half: number;
		if (e > 0 && e < 0x1f) {
			const h = (e << 10) | (mantissa >> 13);
			half = sign | (h + (((mantissa & 0x1fff) + 0xfff + (h & 1)) >> 13));
		} else if (exponent === 0xff) half = sign | 0x7c00 | (mantissa ? 0x200 : 0);
		else if (e >= 0x1f) half = sign | 0x7c00;
		else if (e < -10) half = sign;
		else {
			const full = mantissa | 0x800000;
			const shift = 14 - e;
			const h = full >> shift;
			const rest = full & ((1 << shift) - 1);
			half = sign | (h + ((rest + (1 << (shift - 1)) - 1 + (h & 1)) >> shift));
		}
		out[i] = half;
	}
	return out;
}

/** Decodes a bfloat16 bit pattern (the top half of a float32). */
export function bfloat16ToFloat32(bits: number): number {
	return float32FromBits((bits & 0xffff) << 16);
}

/** Encodes a number as bfloat16, rounding to nearest even; NaN stays NaN. */
export function float32ToBfloat16(value: number): number {
	const bits = float32Bits(value);
	if (Number.isNaN(value)) return 0x7fc0;
	const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
	return (rounded >>> 16) & 0xffff;
}

/** Layout of a small float format as ONNX defines it (onnx/docs/Operators.md, "Cast"). */
interface MiniFloat {
	exponentBits: number;
	mantissaBits: number;
	bias: number;
	/** 'ieee': all-ones exponent is Inf/NaN; 'fn': only all-ones is NaN; 'fnuz': -0 is NaN; 'none': no specials. */
	specials: 'ieee' | 'fn' | 'fnuz' | 'none';
}

export const MINI_FLOATS = {
	float8e4m3fn: { exponentBits: 4, mantissaBits: 3, bias: 7, specials: 'fn' },
	float8e4m3fnuz: { exponentBits: 4, mantissaBits: 3, bias: 8, specials: 'fnuz' },
	float8e5m2: { exponentBits: 5, mantissaBits: 2, bias: 15, specials: 'ieee' },
	float8e5m2fnuz: { exponentBits: 5, mantissaBits: 2, bias: 16, specials: 'fnuz' },
	float4e2m1: { exponentBits: 2, mantissaBits: 1, bias: 1, specials: 'none' }
} as const satisfies Record<string, MiniFloat>;

/** Decodes one element of a float8/float4 format from its bit pattern. */
export function miniFloatToFloat32(bits: number, format: MiniFloat): number {
	const { exponentBits, mantissaBits, bias, specials } = format;
	const width = 1 + exponentBits + mantissaBits;
	const signBit = 1 << (width - 1);
	const exponentMax = (1 << exponentBits) - 1;
	const exponent = (bits >> mantissaBits) & exponentMax;
	const mantissa = bits & ((1 << mantissaBits) - 1);
	const sign = bits & signBit ? -1 : 1;
	if (specials === 'fnuz' && bits === signBit) return NaN;
	if (specials === 'fn' && exponent === exponentMax && mantissa === (1 << mantissaBits) - 1) return NaN;
	if (specials === 'ieee' && exponent === exponentMax) return mantissa ? NaN : sign * Infinity;
	if (exponent === 0) return sign * mantissa * 2 ** (1 - bias - mantissaBits);
	return sign * (1 + mantissa / (1 << mantissaBits)) * 2 ** (exponent - bias);
}

/** Decodes float8e8m0 (an unsigned power of two; 0xff is NaN). */
export function float8e8m0ToFloat32(bits: number): number {
	return bits === 0xff ? NaN : 2 ** (bits - 127);
}
