/**
 * Compares model outputs with expected values, reporting every mismatch in words. Floats use the
 * corpus tolerance |got − expected| ≤ atol + rtol·|expected| (NaN equals NaN, infinities must
 * match); integers, booleans and strings must be equal.
 */
import { bfloat16ToFloat32, float16ToFloat32 } from '../core/ir/half';
import type { TensorMap, TensorValue } from './tensor-value';

export interface CompareOptions {
	/** Relative tolerance for floats (default 1e-3). */
	rtol?: number;
	/** Absolute tolerance for floats (default 1e-4). */
	atol?: number;
}

function floatValues(value: TensorValue): number[] | null {
	const { dtype, data } = value;
	if (dtype === 'float16' || dtype === 'bfloat16') {
		const decode = dtype === 'float16' ? float16ToFloat32 : bfloat16ToFloat32;
		return data instanceof Uint16Array ? Array.from(data, decode) : Array.from(data as ArrayLike<number>);
	}
	if (dtype === 'float32' || dtype === 'float64') return Array.from(data as ArrayLike<number>);
	return null;
}

function compareOne(name: string, got: TensorValue, expected: TensorValue, rtol: number, atol: number): string | null {
	const label = `output '${name}' (${expected.dtype}[${expected.dims.join(',')}])`;
	if (got.dtype !== expected.dtype) return `${label}: got dtype ${got.dtype}.`;
	if (got.dims.join(',') !== expected.dims.join(',')) return `${label}: got dims [${got.dims.join(',')}].`;
	if (got.data.length !== expected.data.length) return `${label}: got ${got.data.length} elements, expected ${expected.data.length}.`;
	const g = floatValues(got);
	const e = floatValues(expected);
	let off = 0;
	let first = -1;
	let maxDiff = 0;
	for (let i = 0; i < expected.data.length; i++) {
		let bad: boolean;
		if (g && e) {
			const [a, b] = [g[i], e[i]];
			const diff = Math.abs(a - b);
			bad = Number.isNaN(b) ? !Number.isNaN(a) : !Number.isFinite(b) ? a !== b : !(diff <= atol + rtol * Math.abs(b));
			if (bad && Number.isFinite(diff)) maxDiff = Math.max(maxDiff, diff);
		} else {
			bad = got.data[i] !== expected.data[i];
		}
		if (bad) {
			off++;
			if (first < 0) first = i;
		}
	}
	if (!off) return null;
	const show = (v: TensorValue, vals: number[] | null) => String(vals ? vals[first] : v.data[first]);
	return `${label}: ${off}/${expected.data.length} elements off${g ? `, max abs diff ${maxDiff}` : ''}; first at index ${first}: got ${show(got, g)}, expected ${show(expected, e)}.`;
}

/**
 * Checks every expected output against `got`.
 * @returns human-readable mismatches, one per output; empty when all agree.
 */
export function compareOutputs(got: TensorMap, expected: TensorMap, options: CompareOptions = {}): string[] {
	const { rtol = 1e-3, atol = 1e-4 } = options;
	const problems: string[] = [];
	for (const [name, want] of Object.entries(expected)) {
		const have = got[name];
		if (!have) problems.push(`output '${name}' is missing (got ${Object.keys(got).join(', ') || 'nothing'}).`);
		else {
			const problem = compareOne(name, have, want, rtol, atol);
			if (problem) problems.push(problem);
		}
	}
	return problems;
}
