import { describe, expect, it } from 'vitest';
import { inferShapes } from './infer';
import { nodeMacs } from './macs';
import { floats, int, ints, model, node, str, t } from './test-graph';

const macsOf = (m: ReturnType<typeof model>) => {
	const { values } = inferShapes(m, {});
	return m.graph.nodes.map((n) => nodeMacs(n, values));
};

describe('nodeMacs', () => {
	it('Conv: output elements × C_in/group × kernel', () => {
		const m = model([node('Conv', ['x', 'w'], ['y'], { pads: ints([1, 1, 1, 1]) })], [t('x', 'float32', [1, 3, 8, 8])], [floats('w', [16, 3, 3, 3])]);
		expect(macsOf(m)).toEqual([16 * 8 * 8 * 3 * 9]);
	});
	it('depthwise Conv counts one window per output', () => {
		const m = model([node('Conv', ['x', 'w'], ['y'], { group: int(32), auto_pad: str('SAME_UPPER') })], [t('x', 'float32', [1, 32, 10, 10])], [floats('w', [32, 1, 3, 3])]);
		expect(macsOf(m)).toEqual([32 * 10 * 10 * 9]);
	});
	it('ConvTranspose: input elements × C_out/group × kernel', () => {
		const m = model([node('ConvTranspose', ['x', 'w'], ['y'], { strides: ints([2, 2]) })], [t('x', 'float32', [1, 4, 5, 5])], [floats('w', [4, 6, 2, 2])]);
		expect(macsOf(m)).toEqual([4 * 5 * 5 * 6 * 4]);
	});
	it('batched MatMul and Gemm with transB', () => {
		const m = model(
			[node('MatMul', ['a', 'b'], ['c']), node('Gemm', ['g', 'h'], ['k'], { transB: int(1) })],
			[t('a', 'float32', [2, 5, 3, 4]), t('b', 'float32', [4, 6]), t('g', 'float32', [7, 8]), t('h', 'float32', [9, 8])],
			[],
			13,
			['c', 'k']
		);
		expect(macsOf(m)).toEqual([2 * 5 * 3 * 6 * 4, 7 * 9 * 8]);
	});
	it('LSTM: seq × batch × dirs × 4 × hidden × (input + hidden); elementwise ops 0', () => {
		const m = model(
			[node('LSTM', ['x', 'w', 'r'], ['y'], { hidden_size: int(16), direction: str('bidirectional') }), node('Relu', ['y'], ['z'])],
			[t('x', 'float32', [10, 2, 8])],
			[floats('w', [2, 64, 8]), floats('r', [2, 64, 16])]
		);
		expect(macsOf(m)).toEqual([10 * 2 * 2 * 4 * 16 * (8 + 16), 0]);
	});
	it('symbolic shapes count 0 rather than guess', () => {
		const m = model([node('MatMul', ['a', 'b'], ['c'])], [t('a', 'float32', ['N', 4]), t('b', 'float32', [4, 6])]);
		expect(macsOf(m)).toEqual([0]);
	});
});
