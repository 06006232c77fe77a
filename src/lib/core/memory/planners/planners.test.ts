import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BufferRequest } from '../types';
import { checkPlan } from '../check-plan';
import { lowerBound, planners, planNaive, planGreedySize, planHeapFirstFit, planHeapBestFit, planSizeClass, planInPlace } from './index';

const SEED = 20240611;

const requests = fc
	.array(
		fc.record({ size: fc.integer({ min: 0, max: 4096 }), first: fc.integer({ min: 0, max: 30 }), span: fc.integer({ min: 0, max: 12 }) }),
		{ maxLength: 40 }
	)
	.map((rows) => rows.map((r, i): BufferRequest => ({ id: `t${i}`, sizeBytes: r.size, firstStep: r.first, lastStep: r.first + r.span })));

const placing = planners.filter((p) => p.kind === 'planner');

describe('every planner on random buffer sets', () => {
	for (const p of placing) {
		it(`${p.id} gives a valid plan (every pair checked), aligned or not`, () => {
			fc.assert(
				fc.property(requests, fc.constantFrom(1, 16), (buffers, alignmentBytes) => {
					const eligible = buffers.filter((_, i) => i % 2 === 0).map((b) => b.id);
					const plan = p.plan(buffers, { alignmentBytes, inPlaceEligible: eligible });
					expect(checkPlan(buffers, plan)).toEqual([]);
					for (const b of buffers) expect(plan.offsets[b.id] % alignmentBytes).toBe(0);
				}),
				{ seed: SEED, numRuns: 200 }
			);
		});
		it(`${p.id} is never below the lower bound`, () => {
			fc.assert(
				fc.property(requests, (buffers) => {
					expect(p.plan(buffers).arenaBytes).toBeGreaterThanOrEqual(lowerBound(buffers).arenaBytes);
				}),
				{ seed: SEED, numRuns: 200 }
			);
		});
	}

	it('greedy planners never need more than no reuse', () => {
		fc.assert(
			fc.property(requests, (buffers) => {
				const naive = planNaive(buffers).arenaBytes;
				for (const id of ['greedy-size', 'greedy-breadth', 'greedy-conflicts', 'in-place'])
					expect(planners.find((p) => p.id === id)!.plan(buffers).arenaBytes).toBeLessThanOrEqual(naive);
			}),
			{ seed: SEED, numRuns: 200 }
		);
	});

	it('the checker catches an overlap (it can fail)', () => {
		const buffers: BufferRequest[] = [
			{ id: 'a', sizeBytes: 10, firstStep: 0, lastStep: 2 },
			{ id: 'b', sizeBytes: 10, firstStep: 1, lastStep: 3 }
		];
		expect(checkPlan(buffers, { planner: 'bad', arenaBytes: 10, offsets: { a: 0, b: 5 } })).toHaveLength(2);
	});
});

describe('hand-built cases with a known optimum', () => {
	// A chain with a skip connection: x → a → b → add(x, b). x is live through steps 0..3.
	const skip: BufferRequest[] = [
		{ id: 'x', sizeBytes: 400, firstStep: 0, lastStep: 3 },
		{ id: 'a', sizeBytes: 800, firstStep: 1, lastStep: 2 },
		{ id: 'b', sizeBytes: 400, firstStep: 2, lastStep: 3 },
		{ id: 'y', sizeBytes: 400, firstStep: 3, lastStep: 4 }
	];
	it('greedy by size reaches the lower bound (1,600 B) where no reuse needs 2,000 B', () => {
		expect(lowerBound(skip).arenaBytes).toBe(1600);
		expect(lowerBound(skip).peakStep).toBe(2);
		expect(planGreedySize(skip).arenaBytes).toBe(1600);
		expect(planNaive(skip).arenaBytes).toBe(2000);
	});

	it('first fit fragments where best fit does not, and reports the failing step under a ceiling', () => {
		// After step 0 the heap holds holes of 300 B at 0 and 100 B at 400. A 100 B request: first fit
		// splits the big hole, best fit takes the small one; then a 300 B request fits only under best fit.
		const buffers: BufferRequest[] = [
			{ id: 'a', sizeBytes: 300, firstStep: 0, lastStep: 0 },
			{ id: 'b', sizeBytes: 100, firstStep: 0, lastStep: 5 },
			{ id: 'c', sizeBytes: 100, firstStep: 0, lastStep: 0 },
			{ id: 'd', sizeBytes: 100, firstStep: 0, lastStep: 5 },
			{ id: 'u', sizeBytes: 100, firstStep: 1, lastStep: 5 },
			{ id: 'v', sizeBytes: 300, firstStep: 2, lastStep: 5 }
		];
		const first = planHeapFirstFit(buffers, { ceilingBytes: 600 });
		const best = planHeapBestFit(buffers, { ceilingBytes: 600 });
		expect([first.offsets.u, best.offsets.u]).toEqual([0, 400]);
		expect([first.arenaBytes, best.arenaBytes]).toEqual([900, 600]);
		expect(best.failure).toBeNull();
		expect(first.failure).toEqual({ step: 2, bufferId: 'v', requestedBytes: 300, largestFreeBytes: 200 });
		// Step 1 under first fit: holes of 200 B (100..300) and 100 B (400..500) below the ceiling.
		expect(first.steps[1].freeBytes).toBe(300);
		expect(first.steps[1].fragmentation).toBeCloseTo(1 - 200 / 300, 9);
		expect(planHeapBestFit(buffers, { ceilingBytes: 599 }).failure).toMatchObject({ step: 0, bufferId: 'd' });
	});

	it('fragmentation is 1 − largest free / total free', () => {
		const buffers: BufferRequest[] = [
			{ id: 'a', sizeBytes: 100, firstStep: 0, lastStep: 0 },
			{ id: 'b', sizeBytes: 100, firstStep: 0, lastStep: 2 },
			{ id: 'c', sizeBytes: 100, firstStep: 0, lastStep: 0 },
			{ id: 'd', sizeBytes: 100, firstStep: 0, lastStep: 2 },
			{ id: 'e', sizeBytes: 10, firstStep: 1, lastStep: 2 }
		];
		const plan = planHeapFirstFit(buffers);
		// Step 1: holes of 90 B (after e) and 100 B: total 190, largest 100.
		expect(plan.steps[1].freeBytes).toBe(190);
		expect(plan.steps[1].fragmentation).toBeCloseTo(1 - 100 / 190, 9);
		expect(plan.maxFragmentation).toBeCloseTo(1 - 100 / 190, 9);
	});

	it('size classes round up and report the waste', () => {
		const plan = planSizeClass([
			{ id: 'a', sizeBytes: 300, firstStep: 0, lastStep: 1 },
			{ id: 'b', sizeBytes: 500, firstStep: 1, lastStep: 2 },
			{ id: 'c', sizeBytes: 257, firstStep: 2, lastStep: 3 }
		]);
		expect(plan.classes).toEqual([
			{ classBytes: 512, blocks: 2, offset: 0 }
		]);
		expect(plan.arenaBytes).toBe(1024);
		// Step 1: a wastes 212 B and b 12 B; step 2: b 12 B and c 255 B.
		expect(plan.internalWasteBytes).toBe(267);
	});

	it('in-place reuse collapses an elementwise chain to one buffer', () => {
		const chain: BufferRequest[] = [
			{ id: 'conv', sizeBytes: 1000, firstStep: 0, lastStep: 1 },
			{ id: 'relu', sizeBytes: 1000, firstStep: 1, lastStep: 2 },
			{ id: 'mul', sizeBytes: 1000, firstStep: 2, lastStep: 3 }
		];
		expect(planGreedySize(chain).arenaBytes).toBe(2000);
		const plan = planInPlace(chain, { inPlaceEligible: ['relu', 'mul'] });
		expect(plan.arenaBytes).toBe(1000);
		expect(plan.aliases).toEqual({ relu: 'conv', mul: 'relu' });
		expect(checkPlan(chain, plan)).toEqual([]);
		expect(planInPlace(chain).arenaBytes).toBe(2000);
	});
});
