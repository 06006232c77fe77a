import { describe, expect, it } from 'vitest';
import { fromFloat32, readFloat32 } from './float-view';
import { bfloat16ToFloat32, float16ToFloat32, float32ToBfloat16, float32ToFloat16, miniFloatToFloat32, MINI_FLOATS } from './half';
import type { DType, Initializer } from './types';

describe('float16 and bfloat16', () => {
	it.each([
		[1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [70000, 0x7c00], [2 ** -24, 0x0001], [2 ** -14, 0x0400], [0, 0],
		[1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [Infinity, 0x7c00]
	])('float16(%f) = %i, rounding ties to even', (value, bits) => {
		expect(float32ToFloat16(value)).toBe(bits);
	});

	it('decodes every finite float16 back to the value that encodes to it', () => {
		const wrong: number[] = [];
		for (let bits = 0; bits < 0x10000; bits++) {
			const value = float16ToFloat32(bits);
			const back = float32ToFloat16(value);
			if (Number.isNaN(value) ? (back & 0x7c00) !== 0x7c00 || !(back & 0x3ff) : back !== bits) wrong.push(bits);
		}
		expect(wrong).toEqual([]);
	});

	it('round-trips bfloat16 and rounds to nearest even', () => {
		expect(bfloat16ToFloat32(float32ToBfloat16(1.5))).toBe(1.5);
		expect(float32ToBfloat16(1 + 2 ** -8)).toBe(0x3f80);
		expect(float32ToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82);
	});

	it('decodes float8 formats at their extremes', () => {
		expect(miniFloatToFloat32(0x7e, MINI_FLOATS.float8e4m3fn)).toBe(448);
		expect(miniFloatToFloat32(0x7f, MINI_FLOATS.float8e4m3fn)).toBeNaN();
		expect(miniFloatToFloat32(0x7b, MINI_FLOATS.float8e5m2)).toBe(57344);
		expect(miniFloatToFloat32(0x80, MINI_FLOATS.float8e4m3fnuz)).toBeNaN();
		expect(miniFloatToFloat32(0x7, MINI_FLOATS.float4e2m1)).toBe(6);
	});
});

describe('readFloat32 / fromFloat32', () => {
	const values = [0, 1, -1, 2.5, -3.5, 7];
	it.each(['float32', 'float16', 'bfloat16', 'float64', 'int8', 'int16', 'int32', 'int64', 'int4'] as DType[])(
		'round-trips small numbers through %s', (dtype) => {
			const init = fromFloat32(values, dtype, [2, 3], 'w', 'initializer');
			const back = [...readFloat32(init)];
			const expected = dtype.startsWith('int') ? [0, 1, -1, 2, -4, 7] : values;
			expect(back).toEqual(expected);
		}
	);

	it('packs int4 two per byte, low nibble first, and saturates', () => {
		const init = fromFloat32([1, -1, 9], 'int4', [3], 'q', 'initializer');
		expect([...init.data]).toEqual([0xf1, 0x07]);
	});

	it('reads unaligned bytes (a raw_data view at an odd offset)', () => {
		const buffer = new Uint8Array(9);
		new DataView(buffer.buffer).setFloat32(1, 1.25, true);
		new DataView(buffer.buffer).setFloat32(5, -2, true);
		const init: Initializer = { name: 'w', dtype: 'float32', dims: [2], data: buffer.subarray(1), origin: 'initializer' };
		expect([...readFloat32(init)]).toEqual([1.25, -2]);
	});

	it('names the tensor when its bytes are too few or its dtype is not numeric', () => {
		expect(() => readFloat32({ name: 'w', dtype: 'float32', dims: [3], data: new Uint8Array(8), origin: 'initializer' })).toThrow(/'w'.*needs 12 bytes/);
		expect(() => readFloat32({ name: 's', dtype: 'string', dims: [1], data: new Uint8Array(0), strings: ['a'], origin: 'initializer' })).toThrow(/'s'/);
		expect(() => fromFloat32([1, 2], 'float32', [3], 'v', 'initializer')).toThrow(/'v'/);
	});
});
