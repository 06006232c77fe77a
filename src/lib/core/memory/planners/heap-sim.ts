/**
 * A step-by-step simulation of a run-time heap (malloc/free at first use / after last use), the way
 * an interpreter without an offline plan allocates: the source of fragmentation that offline planners
 * avoid.
 */
import type { ArenaPlan, BufferRequest } from '../types';
import { alignUp, alignmentOf, assertRequests, stepCount } from './common';
import type { PlannerOptions } from './types';

/** The heap's state right after the allocations of one step (before that step's frees). */
export interface HeapStep {
	step: number;
	liveBytes: number;
	/** Free bytes inside the heap: [0, max(ceiling, high-water mark)). */
	freeBytes: number;
	largestFreeBytes: number;
	/** 1 − largest free block / total free; 0 when nothing is free. */
	fragmentation: number;
}

/** The first allocation that would not fit under the ceiling. */
export interface HeapFailure {
	step: number;
	bufferId: string;
	requestedBytes: number;
	/** The largest free block below the ceiling at that moment, in bytes. */
	largestFreeBytes: number;
}

export interface HeapPlan extends ArenaPlan {
	steps: HeapStep[];
	/** Null when every allocation fits under the ceiling (or no ceiling was given). */
	failure: HeapFailure | null;
	maxFragmentation: number;
}

interface Block {
	offset: number;
	size: number;
}

/** Free gaps between live blocks (sorted by offset), the tail from the last live block up to `limit`. */
function gaps(live: readonly Block[], limit: number): Block[] {
	const out: Block[] = [];
	let cursor = 0;
	for (const b of live) {
		if (b.offset > cursor) out.push({ offset: cursor, size: b.offset - cursor });
		cursor = Math.max(cursor, b.offset + b.size);
	}
	if (limit > cursor) out.push({ offset: cursor, size: limit - cursor });
	return out;
}

/**
 * Simulates allocation in `buffers` order within each step, then frees the buffers whose last step
 * this was. 'first-fit' takes the lowest gap that fits, 'best-fit' the smallest (lowest on ties);
 * when no gap between live blocks fits, the heap grows from its top (the end of the highest live block).
 * The ceiling never blocks an allocation — the simulation goes on so the plan stays complete — it only
 * records the first failure.
 */
export function simulateHeap(
	buffers: readonly BufferRequest[],
	fit: 'first-fit' | 'best-fit',
	options?: PlannerOptions
): HeapPlan {
	assertRequests(buffers);
	const align = alignmentOf(options);
	const ceiling = options?.ceilingBytes;
	const steps = stepCount(buffers);
	const startAt: number[][] = Array.from({ length: steps }, () => []);
	const endAt: number[][] = Array.from({ length: steps }, () => []);
	buffers.forEach((b, i) => {
		startAt[b.firstStep].push(i);
		endAt[b.lastStep].push(i);
	});
	const offsets: Record<string, number> = {};
	const blocks = new Map<number, Block>();
	let live: Block[] = [];
	let highWater = 0;
	let failure: HeapFailure | null = null;
	const report: HeapStep[] = [];
	for (let t = 0; t < steps; t++) {
		for (const i of startAt[t]) {
			const size = alignUp(buffers[i].sizeBytes, align);
			const free = gaps(live, Infinity);
			const fitting = free.filter((g) => g.size >= size);
			const chosen = fit === 'first-fit' ? fitting[0] : fitting.reduce((a, g) => (g.size < a.size ? g : a), fitting[0]);
			const block = { offset: alignUp(chosen.offset, align), size };
			if (ceiling !== undefined && block.offset + size > ceiling && !failure) {
				const below = gaps(live, ceiling);
				failure = {
					step: t,
					bufferId: buffers[i].id,
					requestedBytes: size,
					largestFreeBytes: Math.max(0, ...below.map((g) => Math.min(g.size, ceiling - g.offset)))
				};
			}
			offsets[buffers[i].id] = block.offset;
			blocks.set(i, block);
			live = [...live, block].sort((a, b) => a.offset - b.offset);
			highWater = Math.max(highWater, block.offset + size);
		}
		report.push(snapshot(t, live, Math.max(ceiling ?? 0, highWater)));
		const dying = new Set(endAt[t].map((i) => blocks.get(i)));
		live = live.filter((b) => !dying.has(b));
	}
	const maxFragmentation = Math.max(0, ...report.map((s) => s.fragmentation));
	return { planner: `heap-${fit}`, arenaBytes: highWater, offsets, steps: report, failure, maxFragmentation };
}

function snapshot(step: number, live: readonly Block[], limit: number): HeapStep {
	const free = gaps(live, limit);
	const freeBytes = free.reduce((s, g) => s + g.size, 0);
	const largestFreeBytes = Math.max(0, ...free.map((g) => g.size));
	const liveBytes = live.reduce((s, b) => s + b.size, 0);
	return { step, liveBytes, freeBytes, largestFreeBytes, fragmentation: freeBytes > 0 ? 1 - largestFreeBytes / freeBytes : 0 };
}

/** Lazy heap, first fit: allocate at first use in the lowest gap that fits, free after last use. */
export function planHeapFirstFit(buffers: readonly BufferRequest[], options?: PlannerOptions): HeapPlan {
	return simulateHeap(buffers, 'first-fit', options);
}

/** Lazy heap, best fit: allocate at first use in the smallest gap that fits, free after last use. */
export function planHeapBestFit(buffers: readonly BufferRequest[], options?: PlannerOptions): HeapPlan {
	return simulateHeap(buffers, 'best-fit', options);
}
