/**
 * The loading timeline (Gantt): a storage lane and a compute lane per device on a shared time axis (ms), one bar per
 * load, swap or execute interval, coloured by model. A 100-task workload has tens of thousands of intervals,
 * far more than pixels, so neighbouring intervals of the same lane, kind, task and model that fall within a
 * pixel of each other are merged first (a merged bar names its first and last layer and sums the bytes).
 */
import { scaleLinear, schemeTableau10, type ScaleLinear } from 'd3';
import type { Interval, IntervalKind, Lane } from '../core/loading/types';
import type { Tick } from './scales';

export const LANES: readonly Lane[] = ['storage', 'compute'];

export interface GanttBar {
	/** The device instance (an interval's `device`). */
	device: string;
	lane: Lane;
	kind: IntervalKind;
	taskId: string;
	model: string;
	firstLayer: string;
	lastLayer: string;
	/** Intervals merged into this bar. */
	count: number;
	startMs: number;
	endMs: number;
	bytes: number;
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface GanttLayout {
	x: ScaleLinear<number, number>;
	bars: GanttBar[];
	/** Per device, storage then compute; `label` names the device when there are several. */
	lanes: { device: string; lane: Lane; label: string; y: number; height: number }[];
	ticks: Tick[];
	height: number;
	endMs: number;
}

export interface GanttOptions {
	width: number;
	laneHeight?: number;
	laneGap?: number;
	/** Time span to draw; defaults to the last interval's end. */
	endMs?: number;
	/** Devices in lane order; defaults to those the intervals name, in order of first appearance. */
	devices?: readonly string[];
}

type Merged = Omit<GanttBar, 'x' | 'y' | 'width' | 'height'>;

/**
 * Merges intervals (sorted by start within each lane) whose gap is at most `toleranceMs` and that share device,
 * lane, kind, task and model. Total busy time and bytes are kept: Σ bytes and the union of the spans is unchanged.
 */
export function mergeIntervals(intervals: readonly Interval[], toleranceMs: number): Merged[] {
	const byLane = new Map<string, Merged[]>();
	const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
	for (const iv of sorted) {
		const key = `${iv.device}\u0000${iv.lane}`;
		const list = byLane.get(key) ?? [];
		byLane.set(key, list);
		const last = list[list.length - 1];
		if (last && last.kind === iv.kind && last.taskId === iv.taskId && last.model === iv.model && iv.startMs - last.endMs <= toleranceMs) {
			last.endMs = Math.max(last.endMs, iv.endMs);
			last.bytes += iv.bytes;
			last.lastLayer = iv.layerName;
			last.count++;
		} else {
			list.push({ device: iv.device, lane: iv.lane, kind: iv.kind, taskId: iv.taskId, model: iv.model, firstLayer: iv.layerName, lastLayer: iv.layerName, count: 1, startMs: iv.startMs, endMs: iv.endMs, bytes: iv.bytes });
		}
	}
	const devices = [...new Set(sorted.map((iv) => iv.device))];
	return devices.flatMap((d) => LANES.flatMap((lane) => byLane.get(`${d}\u0000${lane}`) ?? []));
}

/** Lanes stacked top to bottom (per device: storage, compute), bars placed on a linear ms scale over [0, width]. */
export function ganttLayout(intervals: readonly Interval[], options: GanttOptions): GanttLayout {
	const laneHeight = options.laneHeight ?? 28;
	const gap = options.laneGap ?? 8;
	const endMs = options.endMs ?? intervals.reduce((m, iv) => Math.max(m, iv.endMs), 0);
	const x = scaleLinear().domain([0, endMs > 0 ? endMs : 1]).range([0, options.width]);
	const msPerPixel = (endMs > 0 ? endMs : 1) / Math.max(1, options.width);
	const devices = options.devices ?? [...new Set(intervals.map((iv) => iv.device))];
	const several = devices.length > 1;
	const lanes = (devices.length ? devices : ['']).flatMap((device, d) =>
		LANES.map((lane, i) => ({ device, lane, label: several ? `${device} ${lane}` : lane, y: (2 * d + i) * (laneHeight + gap), height: laneHeight }))
	);
	const laneY = new Map(lanes.map((l) => [`${l.device}\u0000${l.lane}`, l.y]));
	const bars = mergeIntervals(intervals, msPerPixel).map((m) => ({
		...m,
		x: x(m.startMs),
		// At least a hairline, so a short load is still visible and hoverable.
		width: Math.max(1, x(m.endMs) - x(m.startMs)),
		y: (laneY.get(`${m.device}\u0000${m.lane}`) ?? 0) + (m.kind === 'execute' ? 0 : m.kind === 'swap' ? laneHeight / 2 : 0),
		height: m.kind === 'swap' ? laneHeight / 2 : laneHeight
	}));
	return { x, bars, lanes, ticks: timeTicks(x), height: lanes.length * laneHeight + (lanes.length - 1) * gap, endMs };
}

/** About six round ticks on a ms scale, labelled in ms below 10 s and in s above. */
export function timeTicks(x: ScaleLinear<number, number>, count = 6): Tick[] {
	const end = x.domain()[1];
	return x.ticks(count).map((t) => ({ value: x(t), label: end >= 10_000 ? `${+(t / 1000).toFixed(2)} s` : `${+t.toFixed(1)} ms` }));
}

/** A stable colour per model id, in the order the workload lists its models. */
export function modelColors(models: readonly string[]): Record<string, string> {
	return Object.fromEntries(models.map((m, i) => [m, schemeTableau10[i % schemeTableau10.length]]));
}
