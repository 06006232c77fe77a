/** The no-reuse baseline: every buffer gets its own bytes for the whole run. */
import type { ArenaPlan, BufferRequest } from '../types';
import { alignUp, alignmentOf, assertRequests } from './common';
import type { PlannerOptions } from './types';

/**
 * Places buffers one after another in the given order (TFLite Micro's linear planner).
 * `arenaBytes` = Σ sizes, each rounded up to the alignment.
 */
export function planNaive(buffers: readonly BufferRequest[], options?: PlannerOptions): ArenaPlan {
	assertRequests(buffers);
	const align = alignmentOf(options);
	const offsets: Record<string, number> = {};
	let next = 0;
	for (const b of buffers) {
		offsets[b.id] = next;
		next += alignUp(b.sizeBytes, align);
	}
	return { planner: 'naive', arenaBytes: next, offsets };
}
