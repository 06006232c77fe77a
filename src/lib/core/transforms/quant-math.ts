/**
 * The arithmetic of linear quantization, q = round(x / scale) + zeroPoint, per tensor or per
 * channel along one axis. Weights use symmetric int8 (zero point 0, range ±127 so −128 is never
 * needed, as onnxruntime's quantizer does); activations use asymmetric uint8 over a range that
 * always contains 0 so that zero padding is exact.
 */
import { elementCount } from '../ir/graph';
import { sqnrOfSums } from './util';

export interface QuantizedTensor {
	/** Integer codes, one per element. */
	codes: Int8Array;
	/** One scale per channel (length 1 when per tensor). */
	scales: Float32Array;
	/** SQNR in dB of the values the codes stand for (codes × scale, as float32) against the input. */
	sqnrDb: number;
}

/**
 * Symmetric signed quantization with `bits` bits (2..8); `axis` null = one scale for the whole
 * tensor. Codes round as `Math.round` does (halves toward +∞), computed as floor(x + 0.5) less one
 * where x + 0.5 itself rounded up: V8's `Math.round` branches on the fraction and mispredicts on
 * weight data (≈ 4× slower on the recognizer's weights), floor does not.
 */
export function quantizeSymmetric(values: Float32Array, dims: number[], axis: number | null, bits = 8): QuantizedTensor {
	if (!(bits >= 2 && bits <= 8)) throw new Error(`Symmetric quantization takes 2..8 bits, got ${bits}.`);
	const qmax = 2 ** (bits - 1) - 1;
	const channels = axis === null ? 1 : dims[axis];
	const inner = axis === null ? values.length : elementCount(dims.slice(axis + 1));
	// Element i belongs to channel floor(i / inner) % channels: track it with two counters (no
	// division or modulo per element; both branches are predictable).
	const n = values.length;
	const maxAbs = new Float32Array(channels);
	for (let i = 0, c = 0, left = inner; i < n; i++) {
		const a = Math.abs(values[i]);
		if (a > maxAbs[c]) maxAbs[c] = a;
		if (--left === 0) { left = inner; if (++c === channels) c = 0; }
	}
	const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
	const codes = new Int8Array(n);
	let signal = 0;
	let noise = 0;
	for (let i = 0, c = 0, left = inner; i < n; i++) {
		const s = scales[c];
		const v = values[i];
		const x = v / s;
		let r = Math.floor(x + 0.5);
		if (r - 0.5 > x) r -= 1;
		const q = Math.max(-qmax, Math.min(qmax, r));
		codes[i] = q;
		const d = v - Math.fround(q * s);
		signal += v * v;
		noise += d * d;
		if (--left === 0) { left = inner; if (++c === channels) c = 0; }
	}
	return { codes, scales, sqnrDb: sqnrOfSums(signal, noise) };
}

/** Scale and zero point of asymmetric uint8 over [min, max] (widened to contain 0). */
export function uint8Params(min: number, max: number): { scale: number; zeroPoint: number } {
	const lo = Math.min(0, min);
	const hi = Math.max(0, max);
	if (hi - lo === 0) return { scale: 1, zeroPoint: 0 };
	const scale = (hi - lo) / 255;
	const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
	return { scale, zeroPoint };
}
