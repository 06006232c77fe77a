/**
 * A pre-allocated pool of power-of-two size classes, as slab/bucket allocators (and many embedded
 * runtimes) do: allocation is O(1) and never fragments, at the price of rounding every request up.
 */
import type { ArenaPlan, BufferRequest } from '../types';
import { assertRequests, stepCount } from './common';
import type { PlannerOptions } from './types';

export interface SizeClass {
	/** Block size of the class, a power of two in bytes. */
	classBytes: number;
	/** Blocks pre-allocated: the most buffers of this class live at one step. */
	blocks: number;
	/** Where the class's blocks start in the arena, in bytes. */
	offset: number;
}

export interface SizeClassPlan extends ArenaPlan {
	classes: SizeClass[];
	/** Σ (class size − requested size) over the buffers live at the step where it is largest, bytes. */
	internalWasteBytes: number;
	/** Bytes of pre-allocated blocks never used at the same time: arena − max over steps of Σ live class sizes. */
	idleBlockBytes: number;
}

/** The smallest power of two ≥ `bytes`, at least `minimum` (itself a power of two). */
export function sizeClassOf(bytes: number, minimum = 1): number {
	let c = Math.max(1, minimum);
	while (c < bytes) c *= 2;
	return c;
}

/**
 * Rounds each request up to its power-of-two class (at least the alignment), pre-allocates for each class
 * as many blocks as the most buffers of that class live at one step, lays the classes out
 * largest first, and hands each buffer the lowest free block of its class at its first step.
 */
export function planSizeClass(buffers: readonly BufferRequest[], options?: PlannerOptions): SizeClassPlan {
	assertRequests(buffers);
	const minimum = sizeClassOf(Math.max(1, options?.alignmentBytes ?? 1));
	const steps = stepCount(buffers);
	const classOf = buffers.map((b) => sizeClassOf(b.sizeBytes, minimum));
	const slotOf = new Array<number>(buffers.length).fill(-1);
	const freeSlots = new Map<number, number[]>();
	const used = new Map<number, number>();
	const order = buffers.map((_, i) => i).sort((a, b) => buffers[a].firstStep - buffers[b].firstStep || a - b);
	const endAt: number[][] = Array.from({ length: steps }, () => []);
	buffers.forEach((b, i) => endAt[b.lastStep].push(i));
	let cursor = 0;
	let internalWasteBytes = 0;
	let peakClassBytes = 0;
	const liveSet = new Set<number>();
	for (let t = 0; t < steps; t++) {
		while (cursor < order.length && buffers[order[cursor]].firstStep === t) {
			const i = order[cursor++];
			const free = freeSlots.get(classOf[i]) ?? [];
			free.sort((a, b) => a - b);
			const slot = free.length > 0 ? free.shift()! : (used.get(classOf[i]) ?? 0);
			if (slot === (used.get(classOf[i]) ?? 0)) used.set(classOf[i], slot + 1);
			freeSlots.set(classOf[i], free);
			slotOf[i] = slot;
			liveSet.add(i);
		}
		let waste = 0;
		let classBytes = 0;
		for (const i of liveSet) {
			waste += classOf[i] - buffers[i].sizeBytes;
			classBytes += classOf[i];
		}
		internalWasteBytes = Math.max(internalWasteBytes, waste);
		peakClassBytes = Math.max(peakClassBytes, classBytes);
		for (const i of endAt[t]) {
			liveSet.delete(i);
			freeSlots.set(classOf[i], [...(freeSlots.get(classOf[i]) ?? []), slotOf[i]]);
		}
	}
	const classes: SizeClass[] = [];
	let arenaBytes = 0;
	for (const classBytes of [...used.keys()].sort((a, b) => b - a)) {
		classes.push({ classBytes, blocks: used.get(classBytes)!, offset: arenaBytes });
		arenaBytes += classBytes * used.get(classBytes)!;
	}
	const start = new Map(classes.map((c) => [c.classBytes, c.offset]));
	const offsets: Record<string, number> = {};
	buffers.forEach((b, i) => (offsets[b.id] = start.get(classOf[i])! + slotOf[i] * classOf[i]));
	return { planner: 'size-class', arenaBytes, offsets, classes, internalWasteBytes, idleBlockBytes: arenaBytes - peakClassBytes };
}
