/**
 * The planner registry the notebook and the CLI list: an id, a human name and a one-line explanation
 * each. Every entry is `(buffers, options) => ArenaPlan`; the 'bound' entry places nothing.
 */
import { planGreedyBreadth } from './greedy-breadth';
import { planGreedyConflicts } from './greedy-conflicts';
import { planGreedySize } from './greedy-size';
import { planHeapBestFit, planHeapFirstFit } from './heap-sim';
import { planInPlace } from './in-place';
import { lowerBound } from './lower-bound';
import { planNaive } from './naive';
import { planSizeClass } from './size-class';
import type { PlannerInfo } from './types';

export type { PlannerInfo, PlannerOptions, Planner, AliasedPlan } from './types';
export type { HeapPlan, HeapStep, HeapFailure } from './heap-sim';
export type { SizeClassPlan, SizeClass } from './size-class';
export type { LowerBound } from './lower-bound';
export {
	planNaive,
	planHeapFirstFit,
	planHeapBestFit,
	planSizeClass,
	planGreedySize,
	planGreedyBreadth,
	planGreedyConflicts,
	planInPlace,
	lowerBound
};
export { simulateHeap } from './heap-sim';
export { liveBytesByStep, lifetimesOverlap } from './common';

export const planners: readonly PlannerInfo[] = [
	{ id: 'naive', name: 'No reuse', kind: 'planner', plan: planNaive, explanation: 'Every tensor gets its own bytes for the whole run: the sum of all sizes.' },
	{ id: 'heap-first-fit', name: 'Heap, first fit', kind: 'planner', plan: planHeapFirstFit, explanation: 'Allocate at first use in the lowest hole that fits, free after last use; holes fragment the heap.' },
	{ id: 'heap-best-fit', name: 'Heap, best fit', kind: 'planner', plan: planHeapBestFit, explanation: 'Like first fit, but picks the smallest hole that fits, keeping large holes for large tensors.' },
	{ id: 'size-class', name: 'Size-class pool', kind: 'planner', plan: planSizeClass, explanation: 'Pre-allocated power-of-two blocks per size class: fast and unfragmented, but every tensor is rounded up.' },
	{ id: 'greedy-size', name: 'Greedy by size (TFLite Micro)', kind: 'planner', plan: planGreedySize, explanation: 'Offline: largest tensor first, each in the first gap among tensors alive at the same time.' },
	{ id: 'greedy-breadth', name: 'Greedy by breadth', kind: 'planner', plan: planGreedyBreadth, explanation: 'Offline: pack the step with the most live bytes first, then the next widest (Pisarchyk & Lee).' },
	{ id: 'greedy-conflicts', name: 'Greedy by conflicts', kind: 'planner', plan: planGreedyConflicts, explanation: 'Offline: tensors that overlap the most bytes of others are placed first.' },
	{ id: 'in-place', name: 'In-place elementwise', kind: 'planner', plan: planInPlace, explanation: 'An elementwise op writes over an input that dies there; then greedy by size.' },
	{ id: 'lower-bound', name: 'Lower bound', kind: 'bound', plan: lowerBound, explanation: 'The most bytes live at any one step: no placement for this order can use less.' }
];

/** The registry entry with this id, or undefined. */
export function plannerById(id: string): PlannerInfo | undefined {
	return planners.find((p) => p.id === id);
}
