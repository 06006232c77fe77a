/**
 * Layout of the memory map: each activation buffer a rectangle, x = the steps it is live, y = its
 * offset in the arena (0 at the bottom), height = its bytes. Pure; the Svelte view draws it.
 */
import { scaleLinear, type ScaleLinear } from 'd3';
import type { BufferRequest } from '../core/memory/types';
import { byteScale, type Tick } from './scales';

export interface MapRect {
	id: string;
	op: string;
	sizeBytes: number;
	offset: number;
	firstStep: number;
	lastStep: number;
	x: number;
	y: number;
	width: number;
	/** Exact: a view may draw tiny buffers taller so they stay visible. */
	height: number;
	/** True when the buffer is live at the peak step. */
	atPeak: boolean;
}

export interface MapLayout {
	rects: MapRect[];
	/** The step with the most bytes live (first such), and its band on the x axis. */
	peakStep: number;
	peakBand: { x: number; width: number };
	/** y of the arena's top (arenaBytes). */
	arenaY: number;
	x: ScaleLinear<number, number>;
	y: ScaleLinear<number, number>;
	xTicks: Tick[];
	yTicks: Tick[];
}

export interface MapSize {
	width: number;
	height: number;
}

/** The first step at which the most bytes are live. */
export function peakStepOf(buffers: readonly BufferRequest[]): number {
	const steps = Math.max(0, ...buffers.map((b) => b.lastStep)) + 1;
	const delta = new Array<number>(steps + 1).fill(0);
	for (const b of buffers) {
		delta[b.firstStep] += b.sizeBytes;
		delta[b.lastStep + 1] -= b.sizeBytes;
	}
	let live = 0;
	let best = 0;
	let peakStep = 0;
	for (let t = 0; t < steps; t++) {
		live += delta[t];
		if (live > best) [best, peakStep] = [live, t];
	}
	return peakStep;
}

/**
 * Rectangles for `buffers` placed at `offsets` in an arena of `arenaBytes`, inside `size` pixels.
 * A buffer spans [firstStep, lastStep + 1) on x; buffers of 0 bytes and buffers without an offset are left out.
 * Invariant: two rectangles overlap only if the plan puts two live buffers on the same bytes.
 */
export function memoryMapLayout(
	buffers: readonly BufferRequest[],
	offsets: Readonly<Record<string, number>>,
	arenaBytes: number,
	size: MapSize,
	opAtStep: readonly string[] = []
): MapLayout {
	const steps = Math.max(1, Math.max(0, ...buffers.map((b) => b.lastStep)) + 1);
	const x = scaleLinear().domain([0, steps]).range([0, size.width]);
	const { scale: yUp, ticks: yTicks } = byteScale(arenaBytes, size.height);
	// Offsets grow upward: byte 0 at the bottom of the plot.
	const y = scaleLinear().domain(yUp.domain()).range([size.height, 0]);
	const peakStep = peakStepOf(buffers);
	const rects: MapRect[] = [];
	for (const b of buffers) {
		const offset = offsets[b.id];
		if (offset === undefined || b.sizeBytes <= 0) continue;
		const top = y(offset + b.sizeBytes);
		rects.push({
			id: b.id, op: opAtStep[b.firstStep] ?? '', sizeBytes: b.sizeBytes, offset, firstStep: b.firstStep, lastStep: b.lastStep,
			x: x(b.firstStep), width: x(b.lastStep + 1) - x(b.firstStep), y: top, height: y(offset) - top,
			atPeak: b.firstStep <= peakStep && peakStep <= b.lastStep
		});
	}
	const xTicks = x.ticks(Math.min(8, steps)).filter(Number.isInteger).map((t) => ({ value: t, label: String(t) }));
	return { rects, peakStep, peakBand: { x: x(peakStep), width: x(peakStep + 1) - x(peakStep) }, arenaY: y(arenaBytes), x, y, xTicks, yTicks };
}
