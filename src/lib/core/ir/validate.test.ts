import { describe, expect, it } from 'vitest';
import type { Graph, Node } from './types';
import { validateGraph } from './validate';

const node = (name: string, opType: string, inputs: string[], outputs: string[], attrs: Node['attrs'] = {}): Node =>
	({ name, opType, domain: '', inputs, outputs, attrs });
const info = (name: string) => ({ name, dtype: 'float32' as const, shape: [1] });
const graph = (nodes: Node[], outputs = ['y']): Graph =>
	({ name: 'main', nodes, inputs: [info('x')], outputs: outputs.map(info), initializers: {}, valueInfo: {} });

describe('validateGraph', () => {
	it('accepts a well-formed graph, with optional inputs left empty', () => {
		expect(validateGraph(graph([node('clip', 'Clip', ['x', '', ''], ['y'])]))).toEqual([]);
	});

	it('reports an input used before any node defines it, naming node and value', () => {
		const issues = validateGraph(graph([node('a', 'Relu', ['z'], ['y']), node('b', 'Relu', ['x'], ['z'])]));
		expect(issues.map((i) => i.kind)).toEqual(['undefined-input']);
		expect(issues[0].message).toContain("node 'a' (Relu) reads 'z'");
	});

	it('reports duplicate producers and empty op types', () => {
		const issues = validateGraph(graph([node('a', 'Relu', ['x'], ['y']), node('b', '', ['x'], ['y'])]));
		expect(issues.map((i) => i.kind).sort()).toEqual(['duplicate-producer', 'empty-op-type']);
		expect(issues.find((i) => i.kind === 'duplicate-producer')!.message).toContain("node 'a' (Relu) already defines");
	});

	it('reports an output nothing produces', () => {
		expect(validateGraph(graph([node('a', 'Relu', ['x'], ['y'])], ['y', 'ghost'])).map((i) => i.value)).toEqual(['ghost']);
	});

	it('lets a subgraph read outer values and reports an undefined one with its path', () => {
		const branch = (input: string): Graph => ({
			name: 'then', nodes: [node('inner', 'Relu', [input], ['r'])], inputs: [], outputs: [info('r')], initializers: {}, valueInfo: {}
		});
		const ok = graph([node('if', 'If', ['x'], ['y'], { then_branch: { type: 'graph', value: branch('x') } })]);
		expect(validateGraph(ok)).toEqual([]);
		const bad = graph([node('if', 'If', ['x'], ['y'], { then_branch: { type: 'graph', value: branch('nowhere') } })]);
		const issues = validateGraph(bad);
		expect(issues).toHaveLength(1);
		expect(issues[0].graphPath).toEqual(['main', 'then']);
		expect(issues[0].message).toContain("in subgraph 'main > then'");
	});
});
