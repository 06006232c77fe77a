import { describe, expect, it } from 'vitest';
import { fromFloat32 } from '../ir/float-view';
import type { Model, Node } from '../ir/types';
import { mulberry32 } from '../zoo/prng';
import { yolov2TinyReference } from './reference-net';
import { fusedStack } from './stack';

/** x → a → b → c (3×3 convs, same size); Add(a, c) → d: the skip from a crosses the cut before c. */
function skipNet(): Model {
	const random = mulberry32(9);
	const w = (name: string, dims: number[]) => fromFloat32(Float32Array.from({ length: dims.reduce((p, q) => p * q, 1) }, () => random() - 0.5), 'float32', dims, name, 'initializer');
	const conv = (name: string, input: string, weight: string): Node => ({
		name, opType: 'Conv', domain: '', inputs: [input, weight], outputs: [name], attrs: { pads: { type: 'ints', value: [1, 1, 1, 1] } }
	});
	const inits = [w('wa', [4, 3, 3, 3]), w('wb', [4, 4, 3, 3]), w('wc', [4, 4, 3, 3]), w('wd', [2, 4, 3, 3])];
	return {
		format: 'onnx', irVersion: 8, opsetImports: [{ domain: '', version: 13 }], producerName: 'test', producerVersion: '1', metadata: {},
		graph: {
			name: 'skip',
			nodes: [
				conv('a', 'x', 'wa'), conv('b', 'a', 'wb'), conv('c', 'b', 'wc'),
				{ name: 'sum', opType: 'Add', domain: '', inputs: ['a', 'c'], outputs: ['sum'], attrs: {} },
				conv('d', 'sum', 'wd')
			],
			inputs: [{ name: 'x', dtype: 'float32', shape: [1, 3, 16, 16] }],
			outputs: [{ name: 'd', dtype: 'float32', shape: [1, 2, 16, 16] }],
			initializers: Object.fromEntries(inits.map((i) => [i.name, i])),
			valueInfo: {}
		}
	};
}

describe('fused stacks that start after layer 0', () => {
	it('the layers before the first fused one are the untiled prefix; the stack starts at the value they hand over', () => {
		const reference = yolov2TinyReference({ inputSize: 96, channelDivisor: 4 });
		const stack = fusedStack(reference, { from: 2, layers: 3 });
		expect(stack.first).toBe(2);
		expect(stack.layers).toBe(3);
		expect(stack.source).toBe('image');
		// Layers 0 (conv + BN + leaky) and 1 (max-pool) run untiled; layer 2's conv reads the 48×48 pooled map.
		expect(stack.prefix.map((n) => n.node.opType)).toEqual(['Conv', 'BatchNormalization', 'LeakyRelu', 'MaxPool']);
		expect(stack.input).toBe(stack.prefix[3].node.outputs[0]);
		expect(stack.shapes[stack.input]).toEqual([1, 4, 48, 48]);
		expect(stack.nodes[0].node.opType).toBe('Conv');
		expect(new Set(stack.nodes.map((n) => n.layerIndex))).toEqual(new Set([2, 3, 4]));
		// Same cut tensor as the stack from layer 0 through layer 4.
		expect(stack.output).toBe(fusedStack(reference, { layers: 5 }).output);
		expect(fusedStack(reference, { from: 0, layers: 5 }).prefix).toEqual([]);
	});

	it('refuses a start that a skip branch crosses, naming the layers that can start, and a start past the fusable layers', () => {
		const net = skipNet();
		const deepest = fusedStack(net);
		expect(deepest.layers).toBe(4);
		expect(deepest.starts).toEqual([0, 1, 3]);
		expect(fusedStack(net, { from: 1 }).input).toBe('a');
		expect(fusedStack(net, { from: 3 }).input).toBe('sum');
		expect(() => fusedStack(net, { from: 2 })).toThrow(/cannot start at layer 2 .*skip or residual branch.*0, 1, 3/);
		expect(() => fusedStack(net, { from: 4 })).toThrow(/fuses layers 0\.\.3 .*no stack can start at layer 4/);
		expect(() => fusedStack(net, { from: -1 })).toThrow(/integer ≥ 0/);
	});
});
