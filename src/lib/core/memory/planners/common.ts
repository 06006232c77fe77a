/** Small helpers shared by the planners: alignment, lifetime overlap, live bytes per step. */
import type { BufferRequest } from '../types';
import type { PlannerOptions } from './types';

/** Rounds `bytes` up to a multiple of `alignment` (alignment ≥ 1). */
export function alignUp(bytes: number, alignment: number): number {
	return alignment <= 1 ? bytes : Math.ceil(bytes / alignment) * alignment;
}

/** The alignment in bytes the options ask for, at least 1. */
export function alignmentOf(options: PlannerOptions | undefined): number {
	return Math.max(1, Math.floor(options?.alignmentBytes ?? 1));
}

/** Whether two buffers are live at a common step (lifetimes are inclusive on both ends). */
export function lifetimesOverlap(a: BufferRequest, b: BufferRequest): boolean {
	return a.firstStep <= b.lastStep && b.firstStep <= a.lastStep;
}

/** Number of steps the buffers span: 1 + the largest `lastStep` (0 for no buffers). */
export function stepCount(buffers: readonly BufferRequest[]): number {
	let last = -1;
	for (const b of buffers) last = Math.max(last, b.lastStep);
	return last + 1;
}

/**
 * Bytes live at each step: `live[t] = Σ sizeBytes` of the buffers with `firstStep ≤ t ≤ lastStep`.
 * Computed by a difference array, O(buffers + steps).
 */
export function liveBytesByStep(buffers: readonly BufferRequest[], alignment = 1): number[] {
	const steps = stepCount(buffers);
	const diff = new Array<number>(steps + 1).fill(0);
	for (const b of buffers) {
		const size = alignUp(b.sizeBytes, alignment);
		diff[b.firstStep] += size;
		diff[b.lastStep + 1] -= size;
	}
	const live: number[] = [];
	let running = 0;
	for (let t = 0; t < steps; t++) live.push((running += diff[t]));
	return live;
}

/** Throws an Error naming the buffer if a request is malformed (negative size, reversed lifetime). */
export function assertRequests(buffers: readonly BufferRequest[]): void {
	for (const b of buffers) {
		if (!(b.sizeBytes >= 0) || !Number.isFinite(b.sizeBytes))
			throw new Error(`buffer ${b.id}: size ${b.sizeBytes} is not a non-negative number of bytes`);
		if (!(b.firstStep >= 0) || b.lastStep < b.firstStep)
			throw new Error(`buffer ${b.id}: lifetime ${b.firstStep}..${b.lastStep} is not a valid step range`);
	}
}
