import { describe, expect, it } from 'vitest';
import { simulate } from '../core/loading/simulator';
import type { DeviceSpec, Interval, MemoryPoint, ModelSpec } from '../core/loading/types';
import { expandWorkload, mulberry32 } from '../core/loading/workload';
import { ganttLayout, mergeIntervals, modelColors } from './gantt';
import { downsampleSteps, memoryCurve } from './step-curve';

const device: DeviceSpec = { id: 'toy', storageBandwidthBytesPerSecond: 1e6, storageLatencyMs: 1, macsPerSecond: 1e9 };
const model = (id: string, n: number): ModelSpec => ({
	id,
	layers: Array.from({ length: n }, (_, i) => ({ name: `${id}.l${i}`, weightBytes: 1000 * (i + 1), outputBytes: 500, computeMs: 2 }))
});
const models = [model('a', 6), model('b', 4)];
const tasks = expandWorkload([{ kind: 'pipeline', stages: ['a', 'b'], count: 8, periodMs: 20 }], 3);
const run = simulate({ models, tasks }, device, { ceilingBytes: 20_000, policy: { kind: 'interleaved', lookahead: 2 }, cache: 'lru', scheduler: 'fifo' });

const sum = (ivs: { bytes: number }[]) => ivs.reduce((s, iv) => s + iv.bytes, 0);
const busy = (ivs: { startMs: number; endMs: number }[]) => ivs.reduce((s, iv) => s + iv.endMs - iv.startMs, 0);

describe('gantt', () => {
	it('merging keeps bytes per lane and never joins lanes, kinds, tasks or models', () => {
		for (const tolerance of [0, 0.5, 5, 1e9]) {
			const merged = mergeIntervals(run.intervals, tolerance);
			for (const lane of ['storage', 'compute'] as const) {
				expect(sum(merged.filter((m) => m.lane === lane))).toBe(sum(run.intervals.filter((iv) => iv.lane === lane)));
			}
			expect(merged.reduce((s, m) => s + m.count, 0)).toBe(run.intervals.length);
			const keys = (ivs: { lane: string; kind: string; taskId: string; model: string }[]) => new Set(ivs.map((iv) => `${iv.lane}|${iv.kind}|${iv.taskId}|${iv.model}`));
			expect(keys(merged)).toEqual(keys(run.intervals));
		}
		// With no tolerance, only touching intervals merge: busy time on a lane is unchanged.
		const exact = mergeIntervals(run.intervals, 0);
		expect(busy(exact.filter((m) => m.lane === 'compute'))).toBeCloseTo(busy(run.intervals.filter((iv) => iv.lane === 'compute')), 6);
	});

	it('bars stay inside the plot and inside their lane; lanes do not overlap', () => {
		const width = 600;
		const g = ganttLayout(run.intervals, { width, laneHeight: 24, laneGap: 6 });
		expect(g.lanes.map((l) => l.lane)).toEqual(['storage', 'compute']);
		expect(g.lanes[0].y + g.lanes[0].height).toBeLessThanOrEqual(g.lanes[1].y);
		expect(g.height).toBe(24 * 2 + 6);
		for (const bar of g.bars) {
			const lane = g.lanes.find((l) => l.lane === bar.lane)!;
			expect(bar.x).toBeGreaterThanOrEqual(0);
			expect(bar.x + bar.width).toBeLessThanOrEqual(width + 1);
			expect(bar.width).toBeGreaterThanOrEqual(1);
			expect(bar.y).toBeGreaterThanOrEqual(lane.y);
			expect(bar.y + bar.height).toBeLessThanOrEqual(lane.y + lane.height);
		}
		// Fewer bars than intervals at this width, and at least one per (lane, task, model, kind).
		expect(g.bars.length).toBeLessThan(run.intervals.length);
		expect(g.ticks.length).toBeGreaterThan(2);
	});

	it('several devices get a storage and a compute lane each, every bar in its own device\'s lane', () => {
		const three = simulate({ models, tasks }, device, { ceilingBytes: 20_000, policy: { kind: 'interleaved', lookahead: 2 }, cache: 'lru', scheduler: 'fifo', devices: 3 });
		const g = ganttLayout(three.intervals, { width: 600, laneHeight: 20, laneGap: 4, devices: three.devices });
		expect(g.lanes.map((l) => l.label)).toEqual(['toy/1 storage', 'toy/1 compute', 'toy/2 storage', 'toy/2 compute', 'toy/3 storage', 'toy/3 compute']);
		for (let i = 1; i < g.lanes.length; i++) expect(g.lanes[i].y).toBeGreaterThanOrEqual(g.lanes[i - 1].y + g.lanes[i - 1].height);
		for (const bar of g.bars) {
			const lane = g.lanes.find((l) => l.device === bar.device && l.lane === bar.lane)!;
			expect(bar.y).toBeGreaterThanOrEqual(lane.y);
			expect(bar.y + bar.height).toBeLessThanOrEqual(lane.y + lane.height);
		}
		// Merging never joins devices: bytes per device and lane are kept.
		const merged = mergeIntervals(three.intervals, 5);
		for (const d of three.devices) expect(sum(merged.filter((m) => m.device === d))).toBe(sum(three.intervals.filter((iv) => iv.device === d)));
		expect(new Set(g.bars.map((b) => b.device)).size).toBeGreaterThan(1);
	});

	it('an empty run lays out empty lanes', () => {
		const g = ganttLayout([] as Interval[], { width: 300 });
		expect(g.bars).toEqual([]);
		expect(g.lanes).toHaveLength(2);
	});

	it('each model gets a distinct colour', () => {
		const c = modelColors(['det', 'cls', 'rec']);
		expect(new Set(Object.values(c)).size).toBe(3);
	});
});

describe('memory step curve', () => {
	const random = mulberry32(5);
	const points: MemoryPoint[] = Array.from({ length: 2000 }, (_, i) => ({ timeMs: i * 0.37, bytes: Math.round(random() * 1e6) }));

	it('downsampling keeps every bucket maximum, the global peak and the final level', () => {
		const d = downsampleSteps(points, 10);
		expect(d.length).toBeLessThan(points.length / 5);
		expect(Math.max(...d.map((p) => p.bytes))).toBe(Math.max(...points.map((p) => p.bytes)));
		expect(d[d.length - 1].bytes).toBe(points[points.length - 1].bytes);
		for (let i = 1; i < d.length; i++) expect(d[i].timeMs).toBeGreaterThanOrEqual(d[i - 1].timeMs);
		// Any original point is at most the value drawn within a pixel of it.
		for (const p of points.filter((_, i) => i % 97 === 0)) {
			const near = d.filter((q) => Math.abs(q.timeMs - p.timeMs) < 10);
			expect(Math.max(...near.map((q) => q.bytes))).toBeGreaterThanOrEqual(p.bytes);
		}
	});

	it('downsampling at sub-pixel resolution changes nothing', () => {
		expect(downsampleSteps(points, 0.01)).toEqual(points);
	});

	it('the simulated run under its ceiling: ceiling line above the curve, on the chart', () => {
		const g = ganttLayout(run.intervals, { width: 500 });
		const c = memoryCurve(run.memory, g.x, 80, run.ceilingBytes);
		expect(c.peakBytes).toBeLessThanOrEqual(20_000);
		expect(c.ceilingY).not.toBeNull();
		expect(c.ceilingY!).toBeGreaterThanOrEqual(0);
		expect(c.ceilingY!).toBeLessThanOrEqual(c.y(c.peakBytes));
		expect(c.line.startsWith('M')).toBe(true);
		expect(c.area.length).toBeGreaterThan(c.line.length);
	});

	it('an unlimited ceiling draws no ceiling line and scales to the peak', () => {
		const g = ganttLayout(run.intervals, { width: 500 });
		const c = memoryCurve(run.memory, g.x, 80, Infinity);
		expect(c.ceilingY).toBeNull();
		expect(c.y.domain()[1]).toBeGreaterThanOrEqual(c.peakBytes);
	});
});
