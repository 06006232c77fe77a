import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Graph, Node } from '../ir/types';
import { peakForOrder, reorder, reorderGraph } from './reorder';
import { activationBuffers } from './lifetimes';
import { lowerBound } from './planners/index';

function node(name: string, inputs: string[], outputs = [name]): Node {
	return { name, opType: 'Op', domain: '', inputs, outputs, attrs: {} };
}

function graph(nodes: Node[], inputs: string[], outputs: string[]): Graph {
	const info = (name: string) => ({ name, dtype: 'float32' as const, shape: [1] });
	return { name: 'g', nodes, inputs: inputs.map(info), outputs: outputs.map(info), initializers: {}, valueInfo: {} };
}

/** Every node runs after the producers of what it reads. */
function respectsDependencies(g: Graph, order: number[]): boolean {
	const done = new Set(g.inputs.map((i) => i.name));
	for (const i of order) {
		if (!g.nodes[i].inputs.every((x) => !x || done.has(x))) return false;
		for (const o of g.nodes[i].outputs) done.add(o);
	}
	return order.length === g.nodes.length;
}

// Two branches that each expand (100 B) and then shrink (1 B) before a join; the given order runs
// both expansions first.
const branchy = graph(
	[node('a1', ['x']), node('b1', ['x']), node('a2', ['a1']), node('b2', ['b1']), node('join', ['a2', 'b2'])],
	['x'],
	['join']
);
const size = (name: string) => ({ x: 10, a1: 100, b1: 100, a2: 1, b2: 1, join: 1 })[name] ?? 0;

describe('reorder', () => {
	it('lowers the peak of a hand-built branchy graph to the known optimum', () => {
		const result = reorder(branchy, size);
		expect(result.originalPeakBytes).toBe(10 + 100 + 100);
		// Optimum: a1, a2, b1, b2, join → at b1: x + a2 + b1 = 111.
		expect(result.peakBytes).toBe(111);
		expect(result.method).toBe('exact');
		expect(respectsDependencies(branchy, result.order)).toBe(true);
		expect(reorder(branchy, size, { maxExactNodes: 0 }).peakBytes).toBe(111);
	});

	it('agrees with activationBuffers + the lower bound on the reordered graph', () => {
		const result = reorder(branchy, size);
		const g = reorderGraph(branchy, result.order);
		const values = Object.fromEntries(['x', 'a1', 'b1', 'a2', 'b2', 'join'].map((n) => [n, { name: n, dtype: 'uint8' as const, shape: [size(n)] }]));
		expect(lowerBound(activationBuffers(g, values)).arenaBytes).toBe(result.peakBytes);
		expect(branchy.nodes[0].name).toBe('a1');
	});

	it('on random DAGs keeps dependencies and never raises the peak (exact and greedy)', () => {
		const dag = fc.array(fc.record({ size: fc.integer({ min: 0, max: 500 }), parents: fc.array(fc.nat(), { maxLength: 3 }) }), { minLength: 1, maxLength: 12 });
		fc.assert(
			fc.property(dag, fc.boolean(), (rows, exact) => {
				const nodes = rows.map((r, i) => node(`n${i}`, i === 0 ? ['x'] : [...new Set(r.parents.map((p) => `n${p % i}`))]));
				const g = graph(nodes, ['x'], [`n${rows.length - 1}`]);
				const sizeOf = (name: string) => (name === 'x' ? 7 : rows[Number(name.slice(1))].size);
				const result = reorder(g, sizeOf, exact ? {} : { maxExactNodes: 0 });
				expect(respectsDependencies(g, result.order)).toBe(true);
				expect(result.peakBytes).toBeLessThanOrEqual(result.originalPeakBytes);
				expect(peakForOrder(g, result.order, sizeOf)).toBe(result.peakBytes);
			}),
			{ seed: 11, numRuns: 150 }
		);
	});
});
