import { describe, expect, it } from 'vitest';
import { fromFloat32 as fromGeneric, readFloat32 as readGeneric } from '../ir/float-view';
import { fromFloat32, readFloat32 } from '../ir/graph';
import { float16ArrayToFloat32, float16ToFloat32, float32ArrayToFloat16, float32ToFloat16 } from '../ir/half';
import type { DType, Initializer } from '../ir/types';
import { kthSmallestMagnitude, sortFloat32 } from './select';
import { seededValues } from './test-support';

/** Values that exercise every float16 path: normals, subnormals, ties, overflow, zeros, Inf, NaN. */
function awkwardValues(): Float32Array {
	const out: number[] = [0, -0, Infinity, -Infinity, NaN, 65504, 65519, 65520, 1e-8, -1e-8, 5.96e-8, 2.98e-8, 2 ** -25];
	for (let b = 0; b < 0x7c00; b += 7) {
		const v = float16ToFloat32(b);
		const next = float16ToFloat32(b + 1);
		out.push(v, -v, (v + next) / 2, -(v + next) / 2);
	}
	const random = seededValues(4000, 9, -70000, 70000);
	return Float32Array.from([...out, ...random, ...seededValues(4000, 5, -1e-4, 1e-4)]);
}

const bits = (f: Float32Array) => Array.from(new Uint32Array(f.buffer, f.byteOffset, f.length));

describe('float fast paths give the generic bits', () => {
	const values = awkwardValues();
	it('bulk float16 encode/decode equal the scalar conversions', () => {
		const half = float32ArrayToFloat16(values);
		expect(Array.from(half)).toEqual(Array.from(values, float32ToFloat16));
		const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
		expect(bits(float16ArrayToFloat32(all))).toEqual(bits(Float32Array.from(all, float16ToFloat32)));
	});
	it.each(['float32', 'float16', 'int8', 'uint8'] as DType[])('fromFloat32/readFloat32 %s, aligned and unaligned', (dtype) => {
		const scaled = dtype === 'int8' || dtype === 'uint8' ? Float32Array.from([...seededValues(999, 2, -300, 300), 2.5, -2.5, 1.5, -0.5, NaN, Infinity]) : values;
		const fast = fromFloat32(scaled, dtype, [scaled.length], 't', 'initializer');
		const generic = fromGeneric(scaled, dtype, [scaled.length], 't', 'initializer');
		expect(Array.from(fast.data)).toEqual(Array.from(generic.data));
		const shifted = new Uint8Array(fast.data.byteLength + 1);
		shifted.set(fast.data, 1);
		const unaligned: Initializer = { ...fast, data: shifted.subarray(1) };
		expect(bits(readFloat32(unaligned))).toEqual(bits(readGeneric(fast)));
		expect(bits(readFloat32(fast))).toEqual(bits(readGeneric(fast)));
	});
	it('readFloat32 returns a fresh array', () => {
		const init = fromFloat32([1, 2, 3], 'float32', [3], 't', 'initializer');
		readFloat32(init)[0] = 9;
		expect(readFloat32(init)[0]).toBe(1);
	});
});

describe('selection without sorting', () => {
	const values = Float32Array.from([...seededValues(5000, 4, -2, 2), 0, -0, 0, 1, -1, 1]);
	it('sortFloat32 equals Float32Array.prototype.sort', () => {
		expect(bits(sortFloat32(values))).toEqual(bits(values.slice().sort()));
	});
	it('kthSmallestMagnitude equals the sorted magnitudes at every probed rank', () => {
		const mags = Float32Array.from(values, Math.abs).sort();
		for (const k of [-3, 0, 1, 2, 3, 100, 2500, 4999, 5003, 5005, 9999]) {
			expect(kthSmallestMagnitude(values, k)).toBe(mags[Math.min(mags.length - 1, Math.max(0, k))]);
		}
	});
});

describe('sortFloat32 on a large array (the 16-bit two-pass path)', () => {
	it('equals Float32Array.prototype.sort', () => {
		const values = Float32Array.from([...seededValues(70000, 6, -3, 3), 0, -0, 0, 2, -2, 2, 1e-40, -1e-40]);
		expect(bits(sortFloat32(values))).toEqual(bits(values.slice().sort()));
	});
});
