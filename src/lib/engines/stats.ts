/** Summaries of measured latencies and output tensors, kept free of any runtime so Node can test them. */
import type { LatencyStats, OutputPreview } from './engine';

/** Linear-interpolated quantile (q in [0, 1]) of an ascending array, as numpy's default does. */
export function quantile(sorted: readonly number[], q: number): number {
	if (sorted.length === 0) return NaN;
	const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
	const lo = Math.floor(pos);
	const hi = Math.ceil(pos);
	return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function latencyStats(samplesMs: number[], warmup: number): LatencyStats {
	const sorted = [...samplesMs].sort((a, b) => a - b);
	return {
		runs: samplesMs.length,
		warmup,
		medianMs: quantile(sorted, 0.5),
		p10Ms: quantile(sorted, 0.1),
		p90Ms: quantile(sorted, 0.9),
		minMs: sorted[0] ?? NaN,
		maxMs: sorted[sorted.length - 1] ?? NaN,
		samplesMs
	};
}

/** The first `headLength` values and min/max/mean of a tensor's data (bigints become numbers). */
export function previewTensor(
	name: string,
	dtype: string,
	dims: readonly number[],
	data: ArrayLike<number | bigint | boolean | string>,
	headLength = 8
): OutputPreview {
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	const head: number[] = [];
	for (let i = 0; i < data.length; i++) {
		const raw = data[i];
		const x = typeof raw === 'number' ? raw : Number(raw);
		if (i < headLength) head.push(x);
		if (x < min) min = x;
		if (x > max) max = x;
		sum += x;
	}
	const n = data.length;
	return { name, dtype, dims: [...dims], head, min: n ? min : NaN, max: n ? max : NaN, mean: n ? sum / n : NaN };
}
