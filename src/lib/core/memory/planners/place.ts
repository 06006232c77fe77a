/**
 * The offline placement step shared by the greedy planners: buffers are placed one by one in a
 * chosen order, each at the lowest offset where it overlaps no already-placed buffer whose lifetime
 * overlaps its own (TFLite Micro's `GreedyMemoryPlanner` gap search).
 */
import type { BufferRequest } from '../types';
import { alignUp, lifetimesOverlap } from './common';

interface Placed {
	buffer: BufferRequest;
	offset: number;
	size: number;
}

/**
 * Places `order` (indices into `buffers`) and returns offsets and the arena size in bytes.
 * Invariant kept: no two placed buffers with overlapping lifetimes share a byte.
 */
export function placeInOrder(
	buffers: readonly BufferRequest[],
	order: readonly number[],
	alignment: number
): { offsets: Record<string, number>; arenaBytes: number } {
	const placed: Placed[] = [];
	const offsets: Record<string, number> = {};
	let arenaBytes = 0;
	for (const index of order) {
		const buffer = buffers[index];
		const size = alignUp(buffer.sizeBytes, alignment);
		const neighbours = placed.filter((p) => lifetimesOverlap(p.buffer, buffer)).sort((a, b) => a.offset - b.offset);
		let candidate = 0;
		for (const p of neighbours) {
			if (size === 0 || p.offset >= candidate + size) break;
			candidate = Math.max(candidate, alignUp(p.offset + p.size, alignment));
		}
		placed.push({ buffer, offset: candidate, size });
		offsets[buffer.id] = candidate;
		arenaBytes = Math.max(arenaBytes, candidate + size);
	}
	return { offsets, arenaBytes };
}
