import { describe, expect, it } from 'vitest';
import { inferShapes } from '../shapes/infer';
import { floats, model, node, t } from '../shapes/test-graph';
import { activationBuffers, intermediateBuffers, peakLiveBytes } from './lifetimes';

// x → Relu a → Add(a, w) b → Relu c ; Relu d reads x too (x lives to step 3).
const m = model(
	[node('Relu', ['x'], ['a']), node('Add', ['a', 'w'], ['b']), node('Relu', ['b'], ['c']), node('Mul', ['x', 'c'], ['d'])],
	[t('x', 'float32', [4])],
	[floats('w', [4])]
);
const buffers = activationBuffers(m.graph, inferShapes(m, {}).values);

describe('activationBuffers', () => {
	it('one buffer per activation, weights excluded, spans from producer to last reader', () => {
		expect(buffers).toEqual([
			{ id: 'x', sizeBytes: 16, firstStep: 0, lastStep: 3, role: 'graph-input' },
			{ id: 'a', sizeBytes: 16, firstStep: 0, lastStep: 1, role: 'intermediate' },
			{ id: 'b', sizeBytes: 16, firstStep: 1, lastStep: 2, role: 'intermediate' },
			{ id: 'c', sizeBytes: 16, firstStep: 2, lastStep: 3, role: 'intermediate' },
			{ id: 'd', sizeBytes: 16, firstStep: 3, lastStep: 3, role: 'graph-output' }
		]);
		expect(intermediateBuffers(buffers).map((b) => b.id)).toEqual(['a', 'b', 'c']);
	});
	it('firstStep ≤ lastStep for every buffer', () => {
		for (const b of buffers) expect(b.firstStep).toBeLessThanOrEqual(b.lastStep);
	});
});

describe('peakLiveBytes', () => {
	it('sums what is live at each step and finds the first maximum', () => {
		// step 0: x a = 32; 1: x a b = 48; 2: x b c = 48; 3: x c d = 48.
		expect(peakLiveBytes(buffers, 4)).toEqual({ peakBytes: 48, step: 1 });
	});
	it('equals a brute-force count on random spans', () => {
		let seed = 7;
		const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
		for (let trial = 0; trial < 50; trial++) {
			const steps = 1 + rand(20);
			const bs = Array.from({ length: rand(15) }, (_, i) => {
				const first = rand(steps);
				return { id: `b${i}`, sizeBytes: 1 + rand(100), firstStep: first, lastStep: first + rand(steps - first) };
			});
			const live = Array.from({ length: steps }, (_, s) => bs.filter((b) => b.firstStep <= s && s <= b.lastStep).reduce((a, b) => a + b.sizeBytes, 0));
			const max = Math.max(0, ...live);
			expect(peakLiveBytes(bs, steps)).toEqual({ peakBytes: max, step: max === 0 ? 0 : live.indexOf(max) });
		}
	});
});
