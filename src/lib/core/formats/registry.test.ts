import { describe, expect, it } from 'vitest';
import { ELEM, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../testing/onnx-builders';
import { ModelFormatError } from './errors';
import { matchOnnx } from './onnx/match';
import { openModel } from './registry';

const model = () => protoModelBytes(protoGraph({
	node: [protoNode('Relu', ['x'], ['y'])],
	input: [protoValueInfo('x', ELEM.float, [1])],
	output: [protoValueInfo('y', ELEM.float, [1])]
}));
const png = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0);

describe('matchOnnx', () => {
	it('is sure of a ModelProto by its first bytes, whatever the name', () => {
		expect(matchOnnx(model(), 'weights.bin')).toBe(true);
	});
	it('says maybe for an .onnx name with other first bytes, and no for a known other kind', () => {
		expect(matchOnnx(Uint8Array.of(0x12, 0x03), 'm.onnx')).toBe('maybe');
		expect(matchOnnx(png, 'm.onnx')).toBe(false);
		expect(matchOnnx(Uint8Array.of(0x12, 0x03), 'm.txt')).toBe(false);
	});
});

describe('openModel', () => {
	it('opens ONNX bytes', () => {
		expect(openModel(model(), 'm.onnx').format).toBe('onnx');
	});
	it('explains a file that is no model at all', () => {
		try {
			openModel(png, 'cat.png');
			expect.unreachable();
		} catch (error) {
			expect(error).toBeInstanceOf(ModelFormatError);
			expect((error as ModelFormatError).message).toMatch(/'cat.png' looks like a PNG image/);
		}
	});
	it('passes an empty file to the importer, which names the problem', () => {
		expect(() => openModel(new Uint8Array(0), 'm.onnx')).toThrow(/is empty/);
	});
});
