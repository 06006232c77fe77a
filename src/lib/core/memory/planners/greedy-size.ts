/** TFLite Micro's offline planner: largest buffer first, each in the first gap that fits. */
import type { ArenaPlan, BufferRequest } from '../types';
import { alignmentOf, assertRequests } from './common';
import { placeInOrder } from './place';
import type { PlannerOptions } from './types';

/**
 * Greedy by size (TFLite Micro `greedy_memory_planner.h`; Pisarchyk & Lee, arXiv 2001.03288 §5):
 * sort by size descending (ties: earlier first step, then input order), place each among the
 * time-overlapping buffers already placed, sorted by offset, in the first gap it fits, else after
 * the last of them. Not optimal (the problem is NP-complete) but usually close to the lower bound.
 */
export function planGreedySize(buffers: readonly BufferRequest[], options?: PlannerOptions): ArenaPlan {
	assertRequests(buffers);
	const order = buffers
		.map((_, i) => i)
		.sort((a, b) => buffers[b].sizeBytes - buffers[a].sizeBytes || buffers[a].firstStep - buffers[b].firstStep || a - b);
	return { planner: 'greedy-size', ...placeInOrder(buffers, order, alignmentOf(options)) };
}
