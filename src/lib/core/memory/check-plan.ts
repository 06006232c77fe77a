/** Checks that an arena plan is valid for its buffers: the invariant every planner must keep. */
import type { ArenaPlan, BufferRequest } from './types';

/**
 * Returns a list of problems (empty = valid), each naming the buffers involved: a missing or negative
 * offset, a buffer that ends past `arenaBytes`, or two buffers whose lifetimes overlap and whose byte
 * ranges intersect — unless the plan declares one the in-place alias of the other. Checks every pair,
 * O(n²); meant for tests and for validating a plan a user pasted.
 */
export function checkPlan(buffers: readonly BufferRequest[], plan: ArenaPlan & { aliases?: Record<string, string> }): string[] {
	const problems: string[] = [];
	const aliases = plan.aliases ?? {};
	for (const b of buffers) {
		const offset = plan.offsets[b.id];
		if (offset === undefined || !(offset >= 0)) problems.push(`${b.id}: no valid offset`);
		else if (offset + b.sizeBytes > plan.arenaBytes) problems.push(`${b.id}: ends at ${offset + b.sizeBytes} past the arena of ${plan.arenaBytes} bytes`);
	}
	for (let i = 0; i < buffers.length; i++) {
		const a = buffers[i];
		for (let j = i + 1; j < buffers.length; j++) {
			const b = buffers[j];
			if (a.firstStep > b.lastStep || b.firstStep > a.lastStep) continue;
			if (a.sizeBytes === 0 || b.sizeBytes === 0) continue;
			if (aliases[a.id] === b.id || aliases[b.id] === a.id) continue;
			const oa = plan.offsets[a.id];
			const ob = plan.offsets[b.id];
			if (oa < ob + b.sizeBytes && ob < oa + a.sizeBytes) problems.push(`${a.id} and ${b.id} are live together and share bytes`);
		}
	}
	return problems;
}
