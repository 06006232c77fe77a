import { describe, expect, it } from 'vitest';
import { browserProfile, cortexM4, pi4_2gb } from '../devices/profiles';
import { buildLedger } from './ledger';
import type { ActivationBuffer } from './lifetimes';

const buffers: ActivationBuffer[] = [
	{ id: 'in', sizeBytes: 1000, firstStep: 0, lastStep: 0, role: 'graph-input' },
	{ id: 'a', sizeBytes: 4000, firstStep: 0, lastStep: 1, role: 'intermediate' },
	{ id: 'b', sizeBytes: 2000, firstStep: 1, lastStep: 2, role: 'intermediate' },
	{ id: 'out', sizeBytes: 100, firstStep: 2, lastStep: 2, role: 'graph-output' }
];

describe('ledger and verdict', () => {
	it('on a Cortex-M4 the weights stay in flash and I/O sits in the arena', () => {
		const ledger = buildLedger({ buffers, weightBytes: 500_000, largestLayerWeightBytes: 100_000, profile: cortexM4, plannerId: 'greedy-size' });
		const weights = ledger.terms.find((t) => t.id === 'weights')!;
		expect(weights.bytes).toBe(0);
		expect(ledger.plan.arenaBytes).toBe(6000);
		expect(ledger.terms.find((t) => t.id === 'io')!.bytes).toBe(0);
		expect(ledger.ramBytes).toBe(6000 + 4096);
		expect(ledger.terms.every((t) => t.kind === 'modelled' && t.basis.length > 0)).toBe(true);
	});

	for (const plannerId of ['greedy-size', 'lower-bound', 'heap-first-fit']) {
		it(`${plannerId}: the verdict flips between ramBytes − 1 and ramBytes and names the tensor`, () => {
			const base = { buffers, weightBytes: 0, largestLayerWeightBytes: 0, profile: cortexM4, plannerId };
			const need = buildLedger(base).ramBytes;
			expect(buildLedger({ ...base, ceilingBytes: need }).verdict.status).toBe('fits');
			const below = buildLedger({ ...base, ceilingBytes: need - 1 }).verdict;
			expect(below).toMatchObject({ status: 'does-not-fit', overBytes: 1 });
			if (below.status === 'does-not-fit') expect(['a', 'b', 'in']).toContain(below.tensor);
		});
	}

	it('reuses a plan while only the ceiling or the device changes, and re-plans for another planner, placement or buffer list', () => {
		const own = buffers.map((b) => ({ ...b }));
		const base = { buffers: own, weightBytes: 0, largestLayerWeightBytes: 0, profile: cortexM4, plannerId: 'greedy-size' };
		const first = buildLedger(base).plan;
		expect(buildLedger({ ...base, ceilingBytes: 10 }).plan).toBe(first);
		expect(buildLedger({ ...base, plannerId: 'naive' }).plan).not.toBe(first);
		// The Pi's runtime keeps model I/O out of the arena: other buffers, another plan.
		expect(buildLedger({ ...base, profile: pi4_2gb }).plan.arenaBytes).toBe(6000);
		expect(buildLedger({ ...base, plannerOptions: { alignmentBytes: 64 } }).plan).not.toBe(first);
		expect(buildLedger({ ...base, buffers: own.map((b) => ({ ...b })) }).plan).not.toBe(first);
		expect(buildLedger({ ...base, buffers: own.map((b) => ({ ...b })) }).plan).toEqual(first);
	});

	it('on a Pi 4 with the weights too large, streaming fits and costs storage time', () => {
		const base = { buffers, weightBytes: 50e6, largestLayerWeightBytes: 1e6, weightedOps: 10, profile: pi4_2gb, plannerId: 'greedy-size' };
		const ledger = buildLedger(base);
		const ceiling = ledger.ramBytes - 1;
		const verdict = buildLedger({ ...base, ceilingBytes: ceiling }).verdict;
		expect(verdict.status).toBe('fits-streaming');
		if (verdict.status === 'fits-streaming') expect(verdict.penaltySeconds).toBeCloseTo(10 * 1e-3 + 50e6 / 50e6, 9);
		const streamingNeed = ledger.ramBytes - 50e6 + 1e6;
		expect(buildLedger({ ...base, ceilingBytes: streamingNeed }).verdict.status).toBe('fits-streaming');
		expect(buildLedger({ ...base, ceilingBytes: streamingNeed - 1 }).verdict.status).toBe('does-not-fit');
	});

	it('a measured figure replaces the modelled one', () => {
		const ledger = buildLedger({ buffers, weightBytes: 0, largestLayerWeightBytes: 0, profile: pi4_2gb, plannerId: 'naive', measured: { runtime: { bytes: 123, basis: 'RSS delta' } } });
		expect(ledger.terms.find((t) => t.id === 'runtime')).toMatchObject({ bytes: 123, kind: 'measured' });
	});

	it('the measured WASM heap sits beside the modelled terms, as its own rows and total', () => {
		const heap = { available: true as const, beforeSessionBytes: 0, afterSessionBytes: 20 * 2 ** 20, afterRunBytes: 22 * 2 ** 20, runs: 12, basis: 'size of the WebAssembly.Memory' };
		const base = { buffers, weightBytes: 8_000_000, largestLayerWeightBytes: 0, profile: browserProfile(), plannerId: 'greedy-size' };
		const without = buildLedger(base);
		const ledger = buildLedger({ ...base, heap });
		expect(ledger.measured.map((t) => [t.id, t.bytes, t.kind])).toEqual([
			['heap-session', 20 * 2 ** 20, 'measured'],
			['heap-run', 2 * 2 ** 20, 'measured']
		]);
		expect(ledger.measuredBytes).toBe(22 * 2 ** 20);
		expect(ledger.measured[0].basis).toContain('0 B before creating the session, 20971520 B after');
		// The modelled terms, their total and the verdict are unchanged: measured rows are not added to them.
		expect(ledger.terms).toEqual(without.terms);
		expect(ledger.ramBytes).toBe(without.ramBytes);
		expect(ledger.verdict).toEqual(without.verdict);
		expect(ledger.terms.every((t) => t.kind === 'modelled')).toBe(true);
		expect(without.measured).toEqual([]);
		expect(without.measuredBytes).toBeNull();
	});

	it('a heap that was not read adds no rows; readings that go down are refused', () => {
		const base = { buffers, weightBytes: 0, largestLayerWeightBytes: 0, profile: browserProfile(), plannerId: 'naive' };
		expect(buildLedger({ ...base, heap: { available: false, basis: 'not tracked' } }).measured).toEqual([]);
		const down = { available: true as const, beforeSessionBytes: 0, afterSessionBytes: 5000, afterRunBytes: 4000, runs: 1, basis: 'x' };
		expect(() => buildLedger({ ...base, heap: down })).toThrow(/5000 → 4000 B go down/);
	});

	it('a heap already grown before the session says its growth is understated', () => {
		const heap = { available: true as const, beforeSessionBytes: 1000, afterSessionBytes: 1000, afterRunBytes: 1000, runs: 3, basis: 'x' };
		const ledger = buildLedger({ buffers, weightBytes: 0, largestLayerWeightBytes: 0, profile: browserProfile(), plannerId: 'naive', heap });
		expect(ledger.measured[0]).toMatchObject({ bytes: 0 });
		expect(ledger.measured[0].basis).toMatch(/already had 1000 B.*understated/);
	});
});
