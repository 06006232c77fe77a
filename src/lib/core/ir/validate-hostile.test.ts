/** The validator's guards against hostile files: Object.prototype names and dims that are not sizes. */
import { describe, expect, it } from 'vitest';
import type { Graph } from './types';
import { validateGraph } from './validate';

const graph = (over: Partial<Graph> = {}): Graph => ({
	name: 'g', nodes: [{ name: 'r', opType: 'Relu', domain: '', inputs: ['x'], outputs: ['y'], attrs: {} }],
	inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }], outputs: [{ name: 'y', dtype: 'float32', shape: [1, 4] }],
	initializers: {}, valueInfo: {}, ...over
});

describe('validateGraph on hostile names and shapes', () => {
	it('accepts the plain graph', () => expect(validateGraph(graph())).toEqual([]));

	it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__'])('refuses a value named %s', (name) => {
		const g = graph({ nodes: [{ name: 'r', opType: 'Relu', domain: '', inputs: ['x'], outputs: [name], attrs: {} }], outputs: [{ name, dtype: 'float32', shape: null }] });
		expect(validateGraph(g).map((i) => i.kind)).toContain('reserved-name');
	});

	it('notices an initializer record whose prototype an initializer named __proto__ replaced', () => {
		const initializers: Graph['initializers'] = {};
		initializers['__proto__'] = { name: '__proto__', dtype: 'float32', dims: [1], data: new Uint8Array(4), origin: 'initializer' };
		expect(validateGraph(graph({ initializers })).map((i) => i.value)).toContain('__proto__');
	});

	it.each([[-1], [NaN], [2 ** 60], [1.5]])('refuses a declared dim %s', (dim) => {
		const issues = validateGraph(graph({ inputs: [{ name: 'x', dtype: 'float32', shape: [1, dim] }] }));
		expect(issues).toEqual([expect.objectContaining({ kind: 'bad-shape', value: 'x' })]);
	});
});
