import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../scenario/defaults';
import { combinations, comboTransforms, countCombinations, MAX_COMBINATIONS, type SweepSelection } from './combinations';
import { dominates, paretoFront, type Objectives } from './pareto';

const base = { perChannel: true, calibration: 'minmax' as const };

describe('sweep combinations', () => {
	it('is the cartesian product of the selected values, each distinct, with matching options', () => {
		const sel: SweepSelection = { quantize: ['none', 'fp16', 'int8-weight'], fuse: [false, true], pruneSparsity: [], shareBits: [] };
		const r = combinations(sel, base);
		if (!r.ok) throw new Error(r.message);
		expect(r.entries).toHaveLength(6);
		expect(countCombinations(sel)).toBe(6);
		expect(new Set(r.entries.map((e) => JSON.stringify(e.combo))).size).toBe(6);
		expect(new Set(r.entries.map((e) => e.label)).size).toBe(6);
		expect(r.entries.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5]);
		const plain = r.entries.find((e) => e.label === 'float32')!;
		expect(plain.options).toEqual({});
		const q = r.entries.find((e) => e.combo.quantize === 'int8-weight' && e.combo.fuse)!;
		expect(q.options).toEqual({ fuse: true, quantize: 'int8-weight', perChannel: true });
	});

	it('an empty list means off; duplicates count once', () => {
		const sel: SweepSelection = { quantize: [], fuse: [true, true], pruneSparsity: [0.5, 0.5, 0], shareBits: [4] };
		const r = combinations(sel, base);
		if (!r.ok) throw new Error(r.message);
		expect(r.entries.map((e) => e.label)).toEqual(['fuse · prune 50% · share 4-bit', 'fuse · share 4-bit']);
		expect(r.entries[0].options).toEqual({ fuse: true, pruneMode: 'unstructured', prune: 0.5, share: 4 });
	});

	it('refuses more than the cap with a message naming the product', () => {
		const sel: SweepSelection = { quantize: ['none', 'fp16', 'int8-weight', 'int8-static'], fuse: [false, true], pruneSparsity: [0, 0.3, 0.5, 0.7], shareBits: [0, 4] };
		const r = combinations(sel, base);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.count).toBe(64);
		expect(r.count).toBeGreaterThan(MAX_COMBINATIONS);
		expect(r.message).toContain('4 × 2 × 4 × 2 = 64');
	});

	it('a combination written into the scenario keeps the fields it does not sweep', () => {
		const t = { ...defaultScenario().transforms, perChannel: false, calibration: 'percentile' as const };
		const out = comboTransforms({ quantize: 'fp16', fuse: true, pruneSparsity: 0.5, shareBits: 0 }, t);
		expect(out).toEqual({ ...t, quantize: 'fp16', fuse: true, prune: { mode: 'unstructured', sparsity: 0.5 }, share: { bits: 0 } });
		expect(comboTransforms({ quantize: 'none', fuse: false, pruneSparsity: 0, shareBits: 0 }, out).prune.mode).toBe('none');
	});
});

/** A small seeded generator (mulberry32) so the property test is reproducible. */
function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('Pareto front', () => {
	const o = (bytes: number, latencyMs: number | null, sqnrDb: number | null): Objectives => ({ bytes, latencyMs, sqnrDb });

	it('keeps trade-offs, drops dominated and incomplete points, keeps ties', () => {
		const pts = [o(100, 10, 30), o(50, 12, 30), o(50, 12, 30), o(100, 11, 30), o(200, 5, 60), o(10, null, 90), o(300, 20, Infinity), o(300, 20, 50)];
		expect(paretoFront(pts, (p) => p)).toEqual([true, true, true, false, true, false, true, false]);
	});

	it('property: no front point is dominated, and every other complete point is dominated by a front point', () => {
		const rand = rng(6);
		for (let trial = 0; trial < 200; trial++) {
			const n = 1 + Math.floor(rand() * 30);
			const pts = Array.from({ length: n }, () => o(Math.round(rand() * 20), rand() < 0.1 ? null : Math.round(rand() * 20), Math.round(rand() * 20)));
			const front = paretoFront(pts, (p) => p);
			pts.forEach((p, i) => {
				if (front[i]) expect(pts.some((q) => dominates(q, p))).toBe(false);
				else if (p.latencyMs !== null) expect(pts.some((q, j) => front[j] && dominates(q, p))).toBe(true);
			});
		}
	});
});
