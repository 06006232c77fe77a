/** The lower bound no planner can beat for a given execution order. */
import type { ArenaPlan, BufferRequest } from '../types';
import { assertRequests, liveBytesByStep } from './common';
import type { PlannerOptions } from './types';

/** A bound, not a placement: `offsets` is empty. */
export interface LowerBound extends ArenaPlan {
	/** The step at which the most bytes are live (first such step), -1 for no buffers. */
	peakStep: number;
	/** Bytes live at each step. */
	liveBytes: number[];
}

/**
 * `arenaBytes = max over steps t of Σ sizeBytes of buffers live at t`. Every valid plan needs at least
 * this, since buffers live at the same step cannot share bytes. Alignment is ignored on purpose: the
 * bound stays below every aligned plan.
 */
export function lowerBound(buffers: readonly BufferRequest[], _options?: PlannerOptions): LowerBound {
	assertRequests(buffers);
	const liveBytes = liveBytesByStep(buffers);
	let peakStep = -1;
	let arenaBytes = 0;
	liveBytes.forEach((bytes, t) => {
		if (bytes > arenaBytes || peakStep < 0) {
			arenaBytes = Math.max(arenaBytes, bytes);
			peakStep = t;
		}
	});
	return { planner: 'lower-bound', arenaBytes, offsets: {}, peakStep, liveBytes };
}
