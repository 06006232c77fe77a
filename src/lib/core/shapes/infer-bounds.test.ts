/** Shape inference never hands on a dim that is not a size: such a node is reported unsupported. */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../formats/onnx/import';
import { ELEM, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../testing/onnx-builders';
import { inferShapes } from './infer';

const conv = (attribute: object[]) => importOnnx(protoModelBytes(protoGraph({
	node: [protoNode('Conv', ['x', 'w'], ['y'], attribute)],
	input: [protoValueInfo('x', ELEM.float, [1, 3, 8, 8])], output: [protoValueInfo('y', ELEM.float, null)],
	initializer: [{ name: 'w', dataType: ELEM.float, dims: [4, 3, 3, 3], rawData: new Uint8Array(4 * 108) }]
})));

describe('inferShapes bounds', () => {
	it('infers an ordinary Conv', () => {
		const result = inferShapes(conv([]));
		expect(result.values.y.shape).toEqual([1, 4, 6, 6]);
		expect(result.unsupported).toEqual([]);
	});

	it.each([
		['zero strides', [{ name: 'strides', type: 7, ints: [0, 0] }]],
		['pads that make a negative size', [{ name: 'pads', type: 7, ints: [-20, -20, 0, 0] }]],
		['a 2^40 kernel', [{ name: 'kernel_shape', type: 7, ints: [2 ** 40, 2 ** 40] }, { name: 'pads', type: 7, ints: [2 ** 40, 2 ** 40, 2 ** 40, 2 ** 40] }]]
	])('reports a Conv with %s as unsupported instead of a dim that is not a size', (_label, attribute) => {
		const result = inferShapes(conv(attribute));
		expect(result.unsupported.map((u) => u.opType)).toEqual(['Conv']);
		for (const d of result.values.y.shape ?? []) if (typeof d === 'number') expect(Number.isSafeInteger(d) && d >= 0).toBe(true);
	});
});
