/**
 * Operator reordering: find an execution order of a graph's nodes with a lower peak of live
 * activation bytes (Liberis & Lane, arXiv 1910.05110; SERENITY, MLSys 2020). Exact by dynamic
 * programming over the sets of already-run nodes while their number stays under a bound, greedy
 * otherwise; never breaks a dependency and never returns a higher peak than the given order.
 */
import { consumers, producers } from '../ir/graph';
import type { Graph } from '../ir/types';

export interface ReorderResult {
	/** Node indices of `graph.nodes` in the new execution order. */
	order: number[];
	peakBytes: number;
	originalPeakBytes: number;
	/** 'exact': optimal for this lifetime model; 'greedy': a heuristic order; 'original': nothing better found. */
	method: 'exact' | 'greedy' | 'original';
	/** Search states visited by the exact search (0 when it was not tried or gave up). */
	states: number;
}

interface Problem {
	n: number;
	sizes: Map<string, number>;
	/** For each node, the values it reads (deduplicated, activations only) and writes. */
	reads: string[][];
	writes: string[][];
	readers: Map<string, number[]>;
	outputs: Set<string>;
	inputs: string[];
	preds: number[][];
}

function problemOf(graph: Graph, sizeOf: (name: string) => number): Problem {
	const readersMap = consumers(graph);
	const producer = producers(graph);
	const isActivation = (name: string) => Boolean(name) && !graph.initializers[name];
	const reads = graph.nodes.map((_, i) => [...readersMap.entries()].filter(([name, r]) => isActivation(name) && r.includes(i)).map(([name]) => name));
	const writes = graph.nodes.map((node) => node.outputs.filter(Boolean));
	const sizes = new Map<string, number>();
	for (const name of [...graph.inputs.map((i) => i.name), ...writes.flat()]) if (isActivation(name)) sizes.set(name, sizeOf(name));
	const preds = reads.map((names) => [...new Set(names.map((n) => producer.get(n)).filter((p): p is number => p !== undefined))]);
	return {
		n: graph.nodes.length, sizes, reads, writes, readers: readersMap, preds,
		outputs: new Set(graph.outputs.map((o) => o.name)),
		inputs: graph.inputs.map((i) => i.name).filter(isActivation)
	};
}

/**
 * Peak live bytes of running the nodes in `order`, with the lifetimes `activationBuffers` uses: a value
 * lives from its producer (step 0 for graph inputs) to its last reader; graph outputs to the last step.
 */
export function peakForOrder(graph: Graph, order: readonly number[], sizeOf: (name: string) => number): number {
	return peakOf(problemOf(graph, sizeOf), order);
}

function peakOf(p: Problem, order: readonly number[]): number {
	const pos = new Array<number>(p.n);
	order.forEach((node, step) => (pos[node] = step));
	const last = Math.max(p.n - 1, 0);
	const diff = new Array<number>(p.n + 1).fill(0);
	const add = (name: string, first: number) => {
		const r = p.readers.get(name) ?? [];
		const end = p.outputs.has(name) ? last : Math.max(first, ...r.map((i) => pos[i]));
		diff[first] += p.sizes.get(name) ?? 0;
		diff[end + 1] -= p.sizes.get(name) ?? 0;
	};
	for (const name of p.inputs) add(name, 0);
	order.forEach((node, step) => p.writes[node].forEach((name) => add(name, step)));
	let live = 0;
	let peak = 0;
	for (let t = 0; t < Math.max(p.n, 1); t++) peak = Math.max(peak, (live += diff[t]));
	return peak;
}

/** Greedy: among ready nodes, run the one with the least bytes live during it, then the least after. */
function greedyOrder(p: Problem): number[] {
	const remainingReaders = new Map([...p.readers].map(([k, v]) => [k, v.length]));
	const waiting = p.preds.map((ps) => ps.length);
	const succ: number[][] = Array.from({ length: p.n }, () => []);
	p.preds.forEach((ps, i) => ps.forEach((q) => succ[q].push(i)));
	const ready = new Set(waiting.flatMap((w, i) => (w === 0 ? [i] : [])));
	let live = p.inputs.reduce((s, name) => s + (p.sizes.get(name) ?? 0), 0);
	const order: number[] = [];
	const freedBy = (v: number) =>
		[...p.reads[v], ...p.writes[v]].reduce((s, name) => {
			const left = (remainingReaders.get(name) ?? 0) - (p.reads[v].includes(name) ? 1 : 0);
			return s + (left === 0 && !p.outputs.has(name) ? (p.sizes.get(name) ?? 0) : 0);
		}, 0);
	while (ready.size > 0) {
		let best = -1;
		let bestKey: [number, number] = [Infinity, Infinity];
		for (const v of ready) {
			const during = live + p.writes[v].reduce((s, n) => s + (p.sizes.get(n) ?? 0), 0);
			const key: [number, number] = [during, during - freedBy(v)];
			if (key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && v < best)))) [best, bestKey] = [v, key];
		}
		live = bestKey[1];
		for (const name of p.reads[best]) remainingReaders.set(name, (remainingReaders.get(name) ?? 0) - 1);
		ready.delete(best);
		order.push(best);
		for (const s of succ[best]) if (--waiting[s] === 0) ready.add(s);
	}
	return order;
}

/**
 * Exact search over down-sets (sets of nodes whose predecessors have all run), level by level; each
 * state keeps the lowest peak reaching it. Gives up (returns null) past `maxStates`.
 */
function exactOrder(p: Problem, maxStates: number): { order: number[]; states: number } | null {
	const bit = (i: number) => 1n << BigInt(i);
	const predMask = p.preds.map((ps) => ps.reduce((m, q) => m | bit(q), 0n));
	const readerMask = new Map([...p.readers].map(([k, v]) => [k, v.reduce((m, i) => m | bit(i), 0n)]));
	interface State { mask: bigint; live: number; peak: number; order: number[] }
	let level = new Map<bigint, State>([[0n, { mask: 0n, live: p.inputs.reduce((s, n) => s + (p.sizes.get(n) ?? 0), 0), peak: 0, order: [] }]]);
	let states = 1;
	for (let k = 0; k < p.n; k++) {
		const next = new Map<bigint, State>();
		for (const s of level.values()) {
			for (let v = 0; v < p.n; v++) {
				if (s.mask & bit(v) || (predMask[v] & ~s.mask) !== 0n) continue;
				const mask = s.mask | bit(v);
				const during = s.live + p.writes[v].reduce((t, n) => t + (p.sizes.get(n) ?? 0), 0);
				let freed = 0;
				for (const name of new Set([...p.reads[v], ...p.writes[v], ...(k === 0 ? p.inputs : [])]))
					if (!p.outputs.has(name) && ((readerMask.get(name) ?? 0n) & ~mask) === 0n) freed += p.sizes.get(name) ?? 0;
				const peak = Math.max(s.peak, during);
				const old = next.get(mask);
				if (!old || peak < old.peak) next.set(mask, { mask, live: during - freed, peak, order: [...s.order, v] });
			}
		}
		states += next.size;
		if (states > maxStates) return null;
		level = next;
	}
	const [final] = level.values();
	return final ? { order: final.order, states } : { order: [], states };
}

/**
 * Searches for a lower-peak order of `graph.nodes`. `sizeOf` gives each activation's bytes. The exact
 * search runs on graphs of at most `maxExactNodes` nodes (default 64) and gives up past `maxStates`
 * states (default 50,000); otherwise the greedy order is tried. The better of that and the given
 * order is returned.
 */
export function reorder(graph: Graph, sizeOf: (name: string) => number, options: { maxStates?: number; maxExactNodes?: number } = {}): ReorderResult {
	const p = problemOf(graph, sizeOf);
	const original = graph.nodes.map((_, i) => i);
	const originalPeakBytes = peakOf(p, original);
	const exact = p.n <= (options.maxExactNodes ?? 64) ? exactOrder(p, options.maxStates ?? 50_000) : null;
	const candidate = exact ? exact.order : greedyOrder(p);
	const peak = peakOf(p, candidate);
	if (peak < originalPeakBytes) return { order: candidate, peakBytes: peak, originalPeakBytes, method: exact ? 'exact' : 'greedy', states: exact?.states ?? 0 };
	return { order: original, peakBytes: originalPeakBytes, originalPeakBytes, method: 'original', states: exact?.states ?? 0 };
}

/** A new graph with the nodes in `order` (a permutation of node indices); the input is not modified. */
export function reorderGraph(graph: Graph, order: readonly number[]): Graph {
	return { ...graph, nodes: order.map((i) => graph.nodes[i]) };
}
