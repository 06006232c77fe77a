import { describe, expect, it } from 'vitest';
import { evaluateTiling, fusedStack, sweepTiling, yolov2TinyReference } from '../core/tiling';
import { pi3 } from '../core/devices/profiles';
import { deviceColor, tileGridLayout } from './tile-grid';
import { log2ByteTicks, sweepLayout, sweepX, type SweepDatum } from './tiling-sweep';

const model = yolov2TinyReference({ inputSize: 96, channelDivisor: 8 });
const schedule = { devices: 3, profile: pi3, linkBytesPerSecond: 12.5e6, gateway: true };

describe('tile grid', () => {
	it('the output blocks of a grid cover the frame exactly once; halos contain their blocks', () => {
		const stack = fusedStack(model, { layers: 4 });
		for (const n of [1, 2, 3, 5]) {
			const r = evaluateTiling(stack, { rows: n, cols: n }, schedule);
			const [, , h, w] = r.inputShape;
			const [, , oh, ow] = r.outputShape;
			const g = tileGridLayout(r.tiles, [h, w], [oh, ow], 300);
			expect(g.width).toBeCloseTo(300);
			const area = g.tiles.reduce((s, t) => s + t.block.width * t.block.height, 0);
			expect(area).toBeCloseTo(g.width * g.height, 6);
			for (const t of g.tiles) {
				expect(t.halo.x).toBeLessThanOrEqual(t.block.x + 1e-9);
				expect(t.halo.y).toBeLessThanOrEqual(t.block.y + 1e-9);
				expect(t.halo.x + t.halo.width).toBeGreaterThanOrEqual(t.block.x + t.block.width - 1e-9);
				expect(t.halo.y + t.halo.height).toBeGreaterThanOrEqual(t.block.y + t.block.height - 1e-9);
				expect(t.halo.x + t.halo.width).toBeLessThanOrEqual(g.width + 1e-9);
				expect(t.label).toMatch(/^tile \(\d, \d\) on device \d$/);
				expect(t.color).toBe(deviceColor(t.device));
			}
			if (n > 1) expect(g.tiles.some((t) => t.halo.width > t.block.width)).toBe(true);
		}
	});

	it('keeps the aspect ratio of a wide frame inside the box', () => {
		const tiles = [{ row: 0, col: 0, device: 0, output: { rows: { start: 0, end: 2 }, cols: { start: 0, end: 4 } }, input: { rows: { start: 0, end: 50 }, cols: { start: 0, end: 100 } } }];
		const g = tileGridLayout(tiles, [50, 100], [2, 4], 200, 200);
		expect([g.width, g.height]).toEqual([200, 100]);
		expect(g.tiles[0].block).toEqual({ x: 0, y: 0, width: 200, height: 100 });
	});

	it('gives devices different colours', () => {
		const colors = new Set([0, 1, 2, 3, 4].map(deviceColor));
		expect(colors.size).toBe(5);
	});
});

describe('sweep chart', () => {
	const sweep = sweepTiling(model, { ...schedule, ceilingBytes: 64 * 1024 });
	it('places one mark per point, one line per depth, and marks the choice and the current point', () => {
		const current = { layers: 3, grid: { rows: 2, cols: 2 } };
		const l = sweepLayout(sweep.points, 'extraMacs', 400, 200, { ceilingBytes: 64 * 1024, choice: sweep.choice, current });
		expect(l.marks).toHaveLength(sweep.points.length);
		expect(l.series.map((s) => s.layers)).toEqual([...new Set(sweep.points.map((p) => p.layers))]);
		expect(l.marks.filter((m) => m.chosen)).toHaveLength(sweep.choice ? 1 : 0);
		expect(l.marks.filter((m) => m.current)).toHaveLength(1);
		for (const m of l.marks) {
			expect(m.x).toBeGreaterThanOrEqual(0);
			expect(m.x).toBeLessThanOrEqual(400);
			expect(m.y).toBeGreaterThanOrEqual(0);
			expect(m.y).toBeLessThanOrEqual(200);
		}
	});

	it('puts more memory higher and more extra MACs further right; fitting points lie below the ceiling rule', () => {
		const l = sweepLayout(sweep.points, 'extraMacs', 400, 200, { ceilingBytes: 64 * 1024 });
		const byPeak = sweep.points.map((p, i) => [p.maxPeakBytes, l.marks[i].y] as const).sort((a, b) => a[0] - b[0]);
		for (let i = 1; i < byPeak.length; i++) expect(byPeak[i][1]).toBeLessThanOrEqual(byPeak[i - 1][1] + 1e-9);
		const byX = sweep.points.map((p, i) => [sweepX(p, 'extraMacs'), l.marks[i].x] as const).sort((a, b) => a[0] - b[0]);
		for (let i = 1; i < byX.length; i++) expect(byX[i][1]).toBeGreaterThanOrEqual(byX[i - 1][1] - 1e-9);
		expect(l.ceilingY).not.toBeNull();
		for (const m of l.marks) if (m.fits) expect(m.y).toBeGreaterThanOrEqual(l.ceilingY! - 1e-9);
	});

	it('x in percent of extra MACs or milliseconds of latency', () => {
		const p: SweepDatum = { layers: 2, grid: { rows: 2, cols: 2 }, maxPeakBytes: 1024, extraMacsRatio: 0.25, latencySeconds: 0.5, fits: false };
		expect(sweepX(p, 'extraMacs')).toBe(25);
		expect(sweepX(p, 'latency')).toBe(500);
		expect(sweepLayout([p], 'latency', 100, 100).xLabel).toBe('modelled latency');
	});

	it('log byte ticks are powers of two within the range', () => {
		const ticks = log2ByteTicks(3000, 5_000_000);
		expect(ticks.length).toBeGreaterThan(2);
		expect(ticks.length).toBeLessThanOrEqual(6);
		for (const t of ticks) {
			expect(Number.isInteger(Math.log2(t.value))).toBe(true);
			expect(t.value).toBeGreaterThanOrEqual(3000);
			expect(t.value).toBeLessThanOrEqual(5_000_000);
		}
		expect(ticks[0].label).toBe('4 KiB');
	});
});
