/** Greedy by conflicts: the buffers that overlap the most bytes of others go first. */
import type { ArenaPlan, BufferRequest } from '../types';
import { alignmentOf, assertRequests } from './common';
import { placeInOrder } from './place';
import type { PlannerOptions } from './types';

/**
 * Orders buffers by conflict weight, descending: size × (1 + Σ sizes of the buffers whose lifetimes
 * overlap it) — a size-weighted form of the interference-graph degree that Pisarchyk & Lee
 * (arXiv 2001.03288) and register allocators order by — then places each with the first-gap search.
 * The pairwise sweep over buffers sorted by first step is O(buffers²) in the worst case.
 */
export function planGreedyConflicts(buffers: readonly BufferRequest[], options?: PlannerOptions): ArenaPlan {
	assertRequests(buffers);
	// Sorted by first step, the inner loop can stop at the first buffer that starts after `a` ends.
	const sorted = buffers.map((_, i) => i).sort((a, b) => buffers[a].firstStep - buffers[b].firstStep);
	const conflicts = new Float64Array(buffers.length);
	for (let x = 0; x < sorted.length; x++) {
		const a = buffers[sorted[x]];
		for (let y = x + 1; y < sorted.length; y++) {
			const b = buffers[sorted[y]];
			if (b.firstStep > a.lastStep) break;
			conflicts[sorted[x]] += b.sizeBytes;
			conflicts[sorted[y]] += a.sizeBytes;
		}
	}
	const weight = (i: number) => buffers[i].sizeBytes * (1 + conflicts[i]);
	const order = buffers.map((_, i) => i).sort((a, b) => weight(b) - weight(a) || a - b);
	return { planner: 'greedy-conflicts', ...placeInOrder(buffers, order, alignmentOf(options)) };
}
