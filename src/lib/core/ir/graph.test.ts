import { describe, expect, it } from 'vitest';
import { cloneGraph, consumers, producers, topoSort, tensorByteLength, dtypeBits, dtypeByteSize } from './graph';
import type { Graph, Node } from './types';

const node = (name: string, opType: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}): Node =>
	({ name, opType, domain: '', inputs, outputs, attrs });

const info = (name: string) => ({ name, dtype: 'float32' as const, shape: [2] });

/** x → a → b → y, plus an If reading `a` from inside its branch. */
function chain(): Graph {
	const branch: Graph = {
		name: 'then', nodes: [node('inner', 'Relu', ['a'], ['r'])], inputs: [], outputs: [info('r')], initializers: {}, valueInfo: {}
	};
	return {
		name: 'main',
		nodes: [
			node('n0', 'Relu', ['x'], ['a']),
			node('n1', 'Add', ['a', 'w'], ['b']),
			node('n2', 'If', ['c'], ['y'], { then_branch: { type: 'graph', value: branch }, else_branch: { type: 'graph', value: branch } })
		],
		inputs: [info('x'), { name: 'c', dtype: 'bool', shape: [] }],
		outputs: [info('y'), info('b')],
		initializers: { w: { name: 'w', dtype: 'float32', dims: [2], data: new Uint8Array(8), origin: 'initializer' } },
		valueInfo: {}
	};
}

describe('producers and consumers', () => {
	it('map each value to the node that writes it and the nodes that read it, subgraph reads included', () => {
		const g = chain();
		expect(Object.fromEntries(producers(g))).toEqual({ a: 0, b: 1, y: 2 });
		expect(Object.fromEntries(consumers(g))).toEqual({ x: [0], a: [1, 2], w: [1], c: [2] });
	});
});

describe('topoSort', () => {
	it('leaves a sorted graph as it is and returns a new object', () => {
		const g = chain();
		const sorted = topoSort(g);
		expect(sorted).not.toBe(g);
		expect(sorted.nodes.map((n) => n.name)).toEqual(['n0', 'n1', 'n2']);
	});

	it('orders a shuffled graph, including the dependency of a subgraph on an outer value', () => {
		const g = chain();
		const shuffled = { ...g, nodes: [g.nodes[2], g.nodes[1], g.nodes[0]] };
		const names = topoSort(shuffled).nodes.map((n) => n.name);
		expect(names.indexOf('n0')).toBeLessThan(names.indexOf('n1'));
		expect(names.indexOf('n0')).toBeLessThan(names.indexOf('n2'));
		expect(shuffled.nodes.map((n) => n.name)).toEqual(['n2', 'n1', 'n0']);
	});

	it('names a node on a cycle', () => {
		const g: Graph = { ...chain(), nodes: [node('p', 'Add', ['x', 'q_out'], ['p_out']), node('q', 'Relu', ['p_out'], ['q_out'])] };
		expect(() => topoSort(g)).toThrow(/cycle through node 'p'/);
	});
});

describe('cloneGraph', () => {
	it('copies structure deeply but shares weight bytes', () => {
		const g = chain();
		const copy = cloneGraph(g);
		expect(copy).toEqual(g);
		copy.nodes[0].inputs[0] = 'changed';
		const branch = copy.nodes[2].attrs.then_branch;
		if (branch.type === 'graph') branch.value.nodes[0].opType = 'Changed';
		expect(g.nodes[0].inputs[0]).toBe('x');
		const original = g.nodes[2].attrs.then_branch;
		expect(original.type === 'graph' && original.value.nodes[0].opType).toBe('Relu');
		expect(copy.initializers.w.data).toBe(g.initializers.w.data);
	});
});

describe('element sizes', () => {
	it.each([
		['float32', [2, 3], 24], ['float16', [5], 10], ['int64', [], 8], ['bool', [3], 3],
		['int4', [3], 2], ['uint4', [4], 2], ['int2', [5], 2], ['float4e2m1', [1], 1], ['string', [4], 0]
	] as const)('%s%j takes %i bytes', (dtype, dims, bytes) => {
		expect(tensorByteLength(dtype, [...dims])).toBe(bytes);
	});

	it('gives bits for sub-byte types', () => {
		expect([dtypeBits('int4'), dtypeBits('uint2'), dtypeByteSize('int4'), dtypeByteSize('complex128')]).toEqual([4, 2, 0.5, 16]);
	});
});
