/**
 * The "this browser" calibration microbenchmark: one float32 MatMul, A[m×k] · B[k×n], as an ONNX model the
 * page times in onnxruntime-web like any model. Its MACs over the median time give the profile's compute
 * rate (`browserProfile`), independent of the model being estimated, so the estimate next to a model's
 * measured latency shows the estimator's real error.
 */
import { onnx } from '../formats/onnx/proto';
import type { BrowserMeasurement } from './calibrate';

/** 256 × 512 × 512 ≈ 67 M MACs: ≈ 10 ms a run at 10 GMAC/s, long enough to time, short enough to repeat. */
export const MICROBENCH_SHAPE = { m: 256, k: 512, n: 512 } as const;

export interface Microbench {
	bytes: Uint8Array;
	feeds: Record<string, { dtype: 'float32'; dims: number[]; data: Float32Array }>;
	macs: number;
	basis: string;
}

/** The MatMul model and its deterministic inputs (values in [-1, 1), so no denormals or overflow). */
export function matmulMicrobench(shape: { m: number; k: number; n: number } = MICROBENCH_SHAPE): Microbench {
	const { m, k, n } = shape;
	if (![m, k, n].every((d) => Number.isInteger(d) && d > 0)) throw new Error(`microbenchmark shape ${m}×${k}×${n} must be positive integers`);
	const info = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
	const bytes = onnx.ModelProto.encode({
		irVersion: 8,
		producerName: 'tightfit-microbench',
		opsetImport: [{ domain: '', version: 17 }],
		graph: {
			name: 'matmul',
			node: [{ opType: 'MatMul', input: ['A', 'B'], output: ['Y'], name: 'matmul' }],
			input: [info('A', [m, k]), info('B', [k, n])],
			output: [info('Y', [m, n])]
		}
	}).finish();
	const values = (len: number, seed: number) => Float32Array.from({ length: len }, (_, i) => (((i * 2654435761 + seed) >>> 0) % 2048) / 1024 - 1);
	return {
		bytes,
		feeds: { A: { dtype: 'float32', dims: [m, k], data: values(m * k, 1) }, B: { dtype: 'float32', dims: [k, n], data: values(k * n, 2) } },
		macs: m * k * n,
		basis: `float32 MatMul ${m}×${k} · ${k}×${n} in onnxruntime-web`
	};
}

/** The microbenchmark's median time as the profile's calibration. */
export function microbenchMeasurement(bench: Pick<Microbench, 'macs' | 'basis'>, medianMs: number, capabilities: string): BrowserMeasurement {
	return { macs: bench.macs, elapsedSeconds: medianMs / 1000, capabilities: `${bench.basis}; ${capabilities}` };
}
