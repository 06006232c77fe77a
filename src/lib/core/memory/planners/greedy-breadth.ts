/** Pisarchyk & Lee's greedy by breadth: fill the widest step first. */
import type { ArenaPlan, BufferRequest } from '../types';
import { alignmentOf, assertRequests, liveBytesByStep } from './common';
import { placeInOrder } from './place';
import type { PlannerOptions } from './types';

/**
 * Greedy by breadth (Pisarchyk & Lee, arXiv 2001.03288 §4): visit steps in order of their breadth
 * (bytes live at that step) from the widest; at each, place its not-yet-placed buffers largest first
 * with the first-gap search. The widest step is packed tightly from offset 0, which is where the
 * lower bound is decided.
 */
export function planGreedyBreadth(buffers: readonly BufferRequest[], options?: PlannerOptions): ArenaPlan {
	assertRequests(buffers);
	const live = liveBytesByStep(buffers);
	const steps = live.map((_, t) => t).sort((a, b) => live[b] - live[a] || a - b);
	const byStep: number[][] = live.map(() => []);
	buffers.forEach((b, i) => {
		for (let t = b.firstStep; t <= b.lastStep; t++) byStep[t].push(i);
	});
	const done = new Uint8Array(buffers.length);
	const order: number[] = [];
	for (const t of steps) {
		const here = byStep[t].filter((i) => !done[i]).sort((a, b) => buffers[b].sizeBytes - buffers[a].sizeBytes || a - b);
		for (const i of here) {
			done[i] = 1;
			order.push(i);
		}
	}
	return { planner: 'greedy-breadth', ...placeInOrder(buffers, order, alignmentOf(options)) };
}
