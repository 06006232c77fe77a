/**
 * The memory-in-use curve under the timeline: a step function of time (ms) against the ceiling. The
 * simulator emits a point at every change, tens of thousands for a long workload; points within one pixel
 * are collapsed to that pixel's maximum so no peak is lost, then drawn with d3's step-after curve.
 */
import { area, curveStepAfter, line, scaleLinear, type ScaleLinear } from 'd3';
import type { MemoryPoint } from '../core/loading/types';
import { byteScale, type Tick } from './scales';

/**
 * Collapses points closer than `msPerPixel` into one point at the bucket's first time holding the bucket's
 * maximum, followed (when different) by the level the bucket ends on, so the step after the bucket is right.
 */
export function downsampleSteps(points: readonly MemoryPoint[], msPerPixel: number): MemoryPoint[] {
	if (msPerPixel <= 0 || points.length < 3) return [...points];
	const out: MemoryPoint[] = [];
	let i = 0;
	while (i < points.length) {
		const start = points[i].timeMs;
		let max = points[i].bytes;
		let j = i + 1;
		while (j < points.length && points[j].timeMs - start < msPerPixel) max = Math.max(max, points[j++].bytes);
		const last = points[j - 1];
		out.push({ timeMs: start, bytes: max });
		if (j - 1 > i && last.bytes !== max) out.push({ timeMs: Math.min(start + msPerPixel, last.timeMs), bytes: last.bytes });
		i = j;
	}
	return out;
}

export interface MemoryCurve {
	line: string;
	area: string;
	y: ScaleLinear<number, number>;
	yTicks: Tick[];
	/** y of the ceiling line, or null for an unlimited ceiling. */
	ceilingY: number | null;
	peakBytes: number;
}

/**
 * Paths for `points` on the time scale `x` (shared with the Gantt chart) over a plot `height` tall. The byte
 * axis reaches the larger of the peak and the ceiling, so the ceiling line is always on the chart.
 */
export function memoryCurve(points: readonly MemoryPoint[], x: ScaleLinear<number, number>, height: number, ceilingBytes: number): MemoryCurve {
	const [d0, d1] = x.domain();
	const [r0, r1] = x.range();
	const msPerPixel = (d1 - d0) / Math.max(1, r1 - r0);
	const steps = downsampleSteps(points, msPerPixel);
	const peakBytes = points.reduce((m, p) => Math.max(m, p.bytes), 0);
	if (steps.length && steps[steps.length - 1].timeMs < d1) steps.push({ timeMs: d1, bytes: steps[steps.length - 1].bytes });
	const top = Math.max(peakBytes, Number.isFinite(ceilingBytes) ? ceilingBytes : 0);
	const { scale, ticks } = byteScale(top * 1.05, height, 3);
	const y = scaleLinear().domain(scale.domain()).range([height, 0]);
	const px = (p: MemoryPoint) => x(Math.min(p.timeMs, d1));
	return {
		line: line<MemoryPoint>().x(px).y((p) => y(p.bytes)).curve(curveStepAfter)(steps) ?? '',
		area: area<MemoryPoint>().x(px).y0(height).y1((p) => y(p.bytes)).curve(curveStepAfter)(steps) ?? '',
		y,
		yTicks: ticks.map((t) => ({ value: y(t.value), label: t.label })),
		ceilingY: Number.isFinite(ceilingBytes) ? y(ceilingBytes) : null,
		peakBytes
	};
}
