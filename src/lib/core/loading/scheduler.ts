/**
 * Which ready stage the compute lane runs next. Non-preemptive: a model run, once started, finishes.
 * - fifo: earliest task arrival first.
 * - priority: larger `priority` first, then fifo.
 * - edf: earliest absolute deadline first (tasks without one last), then fifo.
 * Every rule ends on the task's order in the workload, so the choice is deterministic.
 */
import type { SchedulerKind, TaskSpec } from './types';

/** A task waiting for the compute lane with its next stage. */
export interface ReadyStage {
	task: TaskSpec;
	/** Index of the task in the expanded workload (the final tie-break). */
	order: number;
	stage: number;
	readyMs: number;
}

type Compare = (a: ReadyStage, b: ReadyStage) => number;

const fifo: Compare = (a, b) => a.task.arrivalMs - b.task.arrivalMs || a.order - b.order;

const comparators: Record<SchedulerKind, Compare> = {
	fifo,
	priority: (a, b) => b.task.priority - a.task.priority || fifo(a, b),
	edf: (a, b) => (a.task.deadlineMs ?? Infinity) - (b.task.deadlineMs ?? Infinity) || fifo(a, b)
};

/**
 * Removes and returns the stage the scheduler picks among those ready by `nowMs` (all when absent), or
 * undefined when none is ready.
 */
export function takeNext(ready: ReadyStage[], kind: SchedulerKind, nowMs = Infinity): ReadyStage | undefined {
	const compare = comparators[kind];
	let best = -1;
	for (let i = 0; i < ready.length; i++) {
		if (ready[i].readyMs > nowMs) continue;
		if (best < 0 || compare(ready[i], ready[best]) < 0) best = i;
	}
	return best < 0 ? undefined : ready.splice(best, 1)[0];
}
