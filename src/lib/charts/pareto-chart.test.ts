import { describe, expect, it } from 'vitest';
import { byteLabel, fidelityColor, paretoLayout, sqnrDomain, type ParetoInput } from './pareto-chart';

const row = (index: number, bytes: number, latencyMs: number | null, sqnrDb: number | null, onFront = false): ParetoInput => ({ index, label: `#${index}`, bytes, latencyMs, sqnrDb, onFront, loaded: false });

describe('Pareto chart layout', () => {
	const rows = [row(0, 600_000, 4, Infinity, true), row(1, 300_000, 5, 45, true), row(2, 160_000, 6, 30, true), row(3, 600_000, 8, 40), row(4, 0, 3, 50), row(5, 200_000, null, 30)];
	const L = paretoLayout(rows, { width: 600, height: 320 });

	it('places every usable point inside the plot and counts the rest', () => {
		expect(L.dots).toHaveLength(4);
		expect(L.omitted).toBe(2);
		for (const d of L.dots) {
			expect(d.cx).toBeGreaterThanOrEqual(L.plot.left);
			expect(d.cx).toBeLessThanOrEqual(L.plot.left + L.plot.width);
			expect(d.cy).toBeGreaterThanOrEqual(L.plot.top);
			expect(d.cy).toBeLessThanOrEqual(L.plot.top + L.plot.height);
		}
	});

	it('is monotone: more bytes further right (log), more latency higher up, more fidelity darker and larger', () => {
		const by = (i: number) => L.dots.find((d) => d.index === i)!;
		expect(by(2).cx).toBeLessThan(by(1).cx);
		expect(by(1).cx).toBeLessThan(by(0).cx);
		expect(by(0).cx).toBeCloseTo(by(3).cx);
		expect(by(3).cy).toBeLessThan(by(0).cy);
		expect(by(0).r).toBeGreaterThan(by(2).r);
		expect(by(0).sqnrText).toContain('∞');
		const domain = sqnrDomain(rows.map((r) => r.sqnrDb));
		expect(domain).toEqual([30, 50]);
		expect(fidelityColor(Infinity, domain)).toBe(fidelityColor(1000, domain));
		expect(fidelityColor(30, domain)).not.toBe(fidelityColor(50, domain));
		expect(L.legend.minLabel).toBe('30 dB');
		expect(sqnrDomain([Infinity, null])).toEqual([0, 60]);
	});

	it('joins the front left to right, and labels axes with units', () => {
		expect(L.frontPath).toMatch(/^M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
		const xs = [...L.frontPath!.matchAll(/([\d.]+),/g)].map((m) => Number(m[1]));
		expect(xs).toEqual([...xs].sort((a, b) => a - b));
		expect(L.xTicks.length).toBeGreaterThanOrEqual(2);
		expect(L.xTicks.every((t) => /B$/.test(t.label))).toBe(true);
		expect(L.yTicks.every((t) => t.label.endsWith(' ms'))).toBe(true);
		expect(L.yTicks[0].value).toBe(0);
	});

	it('copes with one point and with none', () => {
		expect(paretoLayout([row(0, 1000, 1, 10, true)], { width: 300, height: 200 }).frontPath).toBeNull();
		const empty = paretoLayout([], { width: 300, height: 200 });
		expect(empty.dots).toEqual([]);
		expect(empty.xTicks.length).toBeGreaterThan(0);
		expect(byteLabel(1536)).toBe('1.5 KiB');
	});
});
