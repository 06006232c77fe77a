import { scaleLinear } from 'd3';
import { describe, expect, it } from 'vitest';
import { planGreedySize, planHeapFirstFit } from '../core/memory/planners/index';
import type { BufferRequest } from '../core/memory/types';
import { stepLine } from './line';
import { memoryMapLayout, peakStepOf } from './memory-map';
import { binaryUnit, byteScale, byteTicks, ceilingToSlider, CEILING_MAX_BYTES, CEILING_MIN_BYTES, sliderToCeiling, SLIDER_STEPS } from './scales';
import { stackTerms, stackTotal } from './stack';

/** A seeded pseudo-random list of buffers over `steps` steps. */
function randomBuffers(seed: number, n: number, steps: number): BufferRequest[] {
	let s = seed;
	const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
	return Array.from({ length: n }, (_, i) => {
		const firstStep = Math.floor(rand() * steps);
		return { id: `t${i}`, sizeBytes: 1 + Math.floor(rand() * 5000), firstStep, lastStep: Math.min(steps - 1, firstStep + Math.floor(rand() * 4)) };
	});
}

describe('ceiling slider scale', () => {
	it('maps the ends of the slider to 16 KiB and 8 GiB', () => {
		expect(sliderToCeiling(0)).toBe(CEILING_MIN_BYTES);
		expect(sliderToCeiling(SLIDER_STEPS)).toBe(CEILING_MAX_BYTES);
		expect(ceilingToSlider(CEILING_MIN_BYTES)).toBe(0);
		expect(ceilingToSlider(CEILING_MAX_BYTES)).toBe(SLIDER_STEPS);
		expect(ceilingToSlider(1)).toBe(0);
		expect(ceilingToSlider(2 ** 45)).toBe(SLIDER_STEPS);
	});

	it('is monotone, rounds to three significant digits, and round-trips positions', () => {
		let prev = 0;
		for (let p = 0; p <= SLIDER_STEPS; p++) {
			const bytes = sliderToCeiling(p);
			expect(bytes).toBeGreaterThanOrEqual(prev);
			expect(Number.isInteger(bytes)).toBe(true);
			expect(Math.abs(ceilingToSlider(bytes) - p)).toBeLessThanOrEqual(1);
			prev = bytes;
		}
		for (const p of [137, 500, 861]) {
			const bytes = sliderToCeiling(p);
			const unit = binaryUnit(bytes).bytes;
			expect(Math.abs(bytes - +(bytes / unit).toPrecision(3) * unit)).toBeLessThanOrEqual(1);
		}
	});
});

describe('byte axes', () => {
	it('ticks fall on round values of one binary unit and cover the maximum', () => {
		const ticks = byteTicks(3.4 * 1024 * 1024);
		expect(ticks[0]).toEqual({ value: 0, label: '0 MiB' });
		expect(ticks.every((t) => t.label.endsWith(' MiB'))).toBe(true);
		const { scale, ticks: t2 } = byteScale(3.4 * 1024 * 1024, 200);
		expect(scale.domain()[1]).toBeGreaterThanOrEqual(3.4 * 1024 * 1024);
		expect(scale(scale.domain()[1])).toBe(200);
		expect(t2.at(-1)!.value).toBe(scale.domain()[1]);
	});
});

describe('stacked bars', () => {
	const terms = [
		{ id: 'weights', label: 'Weights', value: 300, kind: 'modelled' as const },
		{ id: 'zero', label: 'Zero', value: 0, kind: 'modelled' as const },
		{ id: 'arena', label: 'Arena', value: 100, kind: 'measured' as const }
	];
	it('lays segments end to end, drops empty ones, and ends at the total', () => {
		const scale = scaleLinear().domain([0, 800]).range([0, 400]);
		const segs = stackTerms(terms, scale);
		expect(segs.map((s) => s.id)).toEqual(['weights', 'arena']);
		expect(segs[0]).toMatchObject({ start: 0, end: 300, x: 0, width: 150 });
		expect(segs[1]).toMatchObject({ start: 300, end: 400, x: 150, width: 50, kind: 'measured' });
		expect(stackTotal(terms)).toBe(400);
	});
});

describe('memory map layout', () => {
	it('gives a rectangle per placed buffer whose area matches its lifetime and bytes', () => {
		const buffers = randomBuffers(7, 60, 30);
		const plan = planGreedySize(buffers);
		const layout = memoryMapLayout(buffers, plan.offsets, plan.arenaBytes, { width: 600, height: 300 });
		expect(layout.rects).toHaveLength(60);
		const pxPerStep = 600 / 30;
		const pxPerByte = 300 / layout.y.domain()[1];
		for (const r of layout.rects) {
			const b = buffers.find((x) => x.id === r.id)!;
			expect(r.width).toBeCloseTo((b.lastStep - b.firstStep + 1) * pxPerStep, 6);
			expect(r.height).toBeCloseTo(b.sizeBytes * pxPerByte, 6);
			expect(r.y + r.height).toBeCloseTo(300 - plan.offsets[b.id] * pxPerByte, 6);
			expect(r.y).toBeGreaterThanOrEqual(layout.arenaY - 1e-9);
		}
	});

	it('rectangles of a valid plan never overlap (and an invalid plan would)', () => {
		for (const seed of [1, 2, 3]) {
			const buffers = randomBuffers(seed, 80, 40);
			for (const plan of [planGreedySize(buffers), planHeapFirstFit(buffers)]) {
				const { rects } = memoryMapLayout(buffers, plan.offsets, plan.arenaBytes, { width: 800, height: 400 });
				for (let i = 0; i < rects.length; i++)
					for (let j = i + 1; j < rects.length; j++) {
						const [a, b] = [rects[i], rects[j]];
						const overlap = a.x < b.x + b.width - 1e-9 && b.x < a.x + a.width - 1e-9 && a.y < b.y + b.height - 1e-9 && b.y < a.y + a.height - 1e-9;
						expect(overlap, `${a.id} / ${b.id}`).toBe(false);
					}
			}
		}
		const clash: BufferRequest[] = [
			{ id: 'a', sizeBytes: 100, firstStep: 0, lastStep: 1 },
			{ id: 'b', sizeBytes: 100, firstStep: 1, lastStep: 2 }
		];
		const { rects } = memoryMapLayout(clash, { a: 0, b: 50 }, 150, { width: 300, height: 150 });
		expect(rects[0].x + rects[0].width).toBeGreaterThan(rects[1].x);
		expect(rects[1].y + rects[1].height).toBeGreaterThan(rects[0].y);
	});

	it('marks the peak step and the buffers live at it', () => {
		const buffers: BufferRequest[] = [
			{ id: 'in', sizeBytes: 10, firstStep: 0, lastStep: 1 },
			{ id: 'big', sizeBytes: 1000, firstStep: 1, lastStep: 2 },
			{ id: 'out', sizeBytes: 10, firstStep: 3, lastStep: 3 }
		];
		expect(peakStepOf(buffers)).toBe(1);
		const layout = memoryMapLayout(buffers, { in: 0, big: 16, out: 0 }, 1016, { width: 400, height: 100 }, ['a (Conv)', 'b (Relu)', 'c', 'd']);
		expect(layout.peakBand).toEqual({ x: 100, width: 100 });
		expect(layout.rects.filter((r) => r.atPeak).map((r) => r.id)).toEqual(['in', 'big']);
		expect(layout.rects[1].op).toBe('b (Relu)');
	});
});

describe('step line', () => {
	it('draws two points per step, within the plot', () => {
		const { path, yTicks } = stepLine([0, 0.5, 1], 300, 100);
		expect(path.startsWith('M0,100L100,100L100,50')).toBe(true);
		expect(yTicks.every((t) => t.value >= 0 && t.value <= 100)).toBe(true);
	});
});
