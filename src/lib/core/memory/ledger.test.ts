import { describe, expect, it } from 'vitest';
import { cortexM4, pi4_2gb } from '../devices/profiles';
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
});
