import { describe, expect, it } from 'vitest';
import { compareOutputs } from './compare';

const f32 = (values: number[]) => ({ dtype: 'float32' as const, dims: [values.length], data: Float32Array.from(values) });

describe('compareOutputs', () => {
	it('accepts values within 1e-4 + 1e-3·|expected|, NaN for NaN and equal infinities', () => {
		expect(compareOutputs({ y: f32([1.0009, NaN, Infinity, 0.00009]) }, { y: f32([1, NaN, Infinity, 0]) })).toEqual([]);
	});

	it('reports values beyond tolerance, with count, worst difference and first index', () => {
		const [problem] = compareOutputs({ y: f32([1, 2.01, NaN]) }, { y: f32([1, 2, 3]) });
		expect(problem).toContain("output 'y' (float32[3]): 2/3 elements off");
		expect(problem).toContain('first at index 1');
	});

	it('compares integers exactly, and reports missing outputs and wrong dims or dtype', () => {
		const i64 = (v: bigint[]) => ({ dtype: 'int64' as const, dims: [v.length], data: BigInt64Array.from(v) });
		expect(compareOutputs({ y: i64([1n, 2n]) }, { y: i64([1n, 3n]) })).toHaveLength(1);
		expect(compareOutputs({}, { y: i64([1n]) })[0]).toContain("output 'y' is missing");
		expect(compareOutputs({ y: f32([1, 2]) }, { y: { ...f32([1, 2]), dims: [2, 1] } })[0]).toContain('got dims [2]');
		expect(compareOutputs({ y: i64([1n]) }, { y: f32([1]) })[0]).toContain('got dtype int64');
	});
});
