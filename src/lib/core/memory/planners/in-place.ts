/**
 * In-place reuse: an elementwise op (ReLU, Add, Mul, …) may write its output over an input that dies
 * at that op, so the two share one buffer. MCUNet/TinyEngine applies the same idea to depthwise
 * convolutions (1.6× lower peak, per RESEARCH.md). Chains of such ops collapse into one buffer.
 */
import type { BufferRequest } from '../types';
import { alignmentOf, assertRequests } from './common';
import { planGreedySize } from './greedy-size';
import type { AliasedPlan, PlannerOptions } from './types';

/**
 * Chooses aliases, then places the merged buffers with greedy by size. An eligible output `o` takes
 * the offset of a host input `i` when: `i.lastStep === o.firstStep` (the input dies at the op that
 * writes `o`), `i.firstStep < o.firstStep`, `o.sizeBytes ≤ i.sizeBytes`, and `i` hosts no other
 * output. Among several hosts the smallest that fits wins. Returns `aliases` (output → host) so a
 * checker can allow exactly those pairs to share bytes.
 */
export function planInPlace(buffers: readonly BufferRequest[], options?: PlannerOptions): AliasedPlan {
	assertRequests(buffers);
	const byId = new Map(buffers.map((b) => [b.id, b]));
	const eligible = new Set(options?.inPlaceEligible ?? []);
	const hosted = new Set<string>();
	const aliases: Record<string, string> = {};
	const dyingAt = new Map<number, BufferRequest[]>();
	for (const b of buffers) dyingAt.set(b.lastStep, [...(dyingAt.get(b.lastStep) ?? []), b]);
	const candidates = buffers.filter((b) => eligible.has(b.id)).sort((a, b) => a.firstStep - b.firstStep);
	for (const out of candidates) {
		const named = options?.inPlaceInputs?.[out.id];
		const pool = named ? named.map((id) => byId.get(id)).filter((b) => b !== undefined) : (dyingAt.get(out.firstStep) ?? []);
		const hosts = pool
			.filter((h) => h.id !== out.id && !hosted.has(h.id) && h.lastStep === out.firstStep)
			.filter((h) => h.firstStep < out.firstStep && h.sizeBytes >= out.sizeBytes)
			.sort((a, b) => a.sizeBytes - b.sizeBytes);
		if (hosts.length === 0) continue;
		aliases[out.id] = hosts[0].id;
		hosted.add(hosts[0].id);
	}
	// Each chain becomes one request spanning its members' lifetimes, as large as its root (the first
	// host, which every later member fits in).
	const rootOf = (id: string): string => (aliases[id] === undefined ? id : rootOf(aliases[id]));
	const groups = new Map<string, BufferRequest>();
	for (const b of buffers) {
		const root = rootOf(b.id);
		const g = groups.get(root);
		groups.set(
			root,
			g
				? { id: root, sizeBytes: Math.max(g.sizeBytes, b.sizeBytes), firstStep: Math.min(g.firstStep, b.firstStep), lastStep: Math.max(g.lastStep, b.lastStep) }
				: { ...b, id: root }
		);
	}
	const merged = planGreedySize([...groups.values()], { alignmentBytes: alignmentOf(options) });
	const offsets: Record<string, number> = {};
	for (const b of buffers) offsets[b.id] = merged.offsets[rootOf(b.id)];
	return { planner: 'in-place', arenaBytes: merged.arenaBytes, offsets, aliases };
}
