/** Line and area paths over steps (heap fragmentation, live bytes), as SVG path strings. */
import { area, line, scaleLinear } from 'd3';
import type { Tick } from './scales';

export interface StepSeries {
	path: string;
	xTicks: Tick[];
	yTicks: Tick[];
}

/** A step line of `values` (one per step) over [0, width] × [height, 0], y from 0 to `maxY`. */
export function stepLine(values: readonly number[], width: number, height: number, maxY = 1, format = (v: number) => String(v)): StepSeries {
	const n = Math.max(1, values.length);
	const x = scaleLinear().domain([0, n]).range([0, width]);
	const y = scaleLinear().domain([0, maxY > 0 ? maxY : 1]).range([height, 0]);
	const points: [number, number][] = values.flatMap((v, i) => [[i, v] as [number, number], [i + 1, v] as [number, number]]);
	const path = line<[number, number]>().x((p) => x(p[0])).y((p) => y(p[1]))(points) ?? '';
	return {
		path,
		xTicks: x.ticks(Math.min(6, n)).filter(Number.isInteger).map((t) => ({ value: x(t), label: String(t) })),
		yTicks: y.ticks(3).map((t) => ({ value: y(t), label: format(t) }))
	};
}

/** A filled step area of `values` (live bytes per step) with the same axes as `stepLine`. */
export function stepArea(values: readonly number[], width: number, height: number, maxY: number): string {
	const n = Math.max(1, values.length);
	const x = scaleLinear().domain([0, n]).range([0, width]);
	const y = scaleLinear().domain([0, maxY > 0 ? maxY : 1]).range([height, 0]);
	const points: [number, number][] = values.flatMap((v, i) => [[i, v] as [number, number], [i + 1, v] as [number, number]]);
	return area<[number, number]>().x((p) => x(p[0])).y0(height).y1((p) => y(p[1]))(points) ?? '';
}
