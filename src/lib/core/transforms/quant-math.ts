/**
 * The arithmetic of linear quantization, q = round(x / scale) + zeroPoint, per tensor or per
 * channel along one axis. Weights use symmetric int8 (zero point 0, range ±127 so −128 is never
 * needed, as onnxruntime's quantizer does); activations use asymmetric uint8 over a range that
 * always contains 0 so that zero padding is exact.
 */
import { elementCount } from '../ir/graph';

export interface QuantizedTensor {
	/** Integer codes, one per element. */
	codes: Int32Array;
	/** One scale per channel (length 1 when per tensor). */
	scales: Float32Array;
	/** The values the codes stand for (codes × scale). */
	dequantized: Float32Array;
}

/** Symmetric signed quantization with `bits` bits; `axis` null = one scale for the whole tensor. */
export function quantizeSymmetric(values: Float32Array, dims: number[], axis: number | null, bits = 8): QuantizedTensor {
	const qmax = 2 ** (bits - 1) - 1;
	const channels = axis === null ? 1 : dims[axis];
	const inner = axis === null ? values.length : elementCount(dims.slice(axis + 1));
	// Element i belongs to channel floor(i / inner) % channels: walk it as runs of `inner` values.
	const maxAbs = new Float32Array(channels);
	for (let run = 0, i = 0; i < values.length; run++) {
		const c = run % channels;
		let m = maxAbs[c];
		for (const end = i + inner; i < end; i++) { const a = Math.abs(values[i]); if (a > m) m = a; }
		maxAbs[c] = m;
	}
	const scales = Float32Array.from(maxAbs, (m) => (m > 0 ? m / qmax : 1));
	const codes = new Int32Array(values.length);
	const dequantized = new Float32Array(values.length);
	for (let run = 0, i = 0; i < values.length; run++) {
		const s = scales[run % channels];
		for (const end = i + inner; i < end; i++) {
			const q = Math.max(-qmax, Math.min(qmax, Math.round(values[i] / s)));
			codes[i] = q;
			dequantized[i] = q * s;
		}
	}
	return { codes, scales, dequantized };
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
