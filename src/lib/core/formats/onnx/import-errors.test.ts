/** Bad input: each kind of broken file gives a ModelFormatError with its own code and a specific message. */
import { describe, expect, it } from 'vitest';
import { ELEM, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../../testing/onnx-builders';
import { ModelFormatError } from '../errors';
import { MAX_MODEL_BYTES, checkModelSize, importOnnx } from './import';

function errorOf(run: () => unknown): ModelFormatError {
	try {
		run();
	} catch (error) {
		if (error instanceof ModelFormatError) return error;
		throw error;
	}
	throw new Error('expected a ModelFormatError, nothing was thrown');
}

/** A valid model: y = Relu(x) on float32[1,4]. */
const relu = () => protoModelBytes(protoGraph({
	node: [protoNode('Relu', ['x'], ['y'])],
	input: [protoValueInfo('x', ELEM.float, [1, 4])],
	output: [protoValueInfo('y', ELEM.float, [1, 4])]
}));

describe('importOnnx on bad input', () => {
	it('reads the valid fixture (so the failures below are about the damage)', () => {
		expect(importOnnx(relu()).graph.nodes.map((n) => n.opType)).toEqual(['Relu']);
	});

	it('refuses a zero-byte file as empty', () => {
		const error = errorOf(() => importOnnx(new Uint8Array(0), 'model.onnx'));
		expect(error.code).toBe('empty');
		expect(error.message).toContain("'model.onnx' is empty");
		expect(error.message).toContain('still');
	});

	it('reports a file cut short as truncated, at every cut inside the graph', () => {
		const bytes = relu();
		// ModelProto field 7 (graph) is tagged 0x3a; its one-byte length follows in this small model.
		const graphStart = bytes.indexOf(0x3a);
		const graphEnd = graphStart + 2 + bytes[graphStart + 1];
		expect(bytes[graphStart + 1]).toBeLessThan(128);
		for (let end = graphStart + 1; end < graphEnd; end++) {
			expect(errorOf(() => importOnnx(bytes.subarray(0, end), 'cut.onnx')).code, `cut at ${end}`).toBe('truncated');
		}
	});

	it.each([
		['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'a PNG image'],
		['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 16], 'a JPEG image'],
		['ZIP', [0x50, 0x4b, 0x03, 0x04, 20, 0], 'a ZIP archive'],
		['gzip', [0x1f, 0x8b, 8, 0], 'gzip'],
		['PDF', [...'%PDF-1.7'].map((c) => c.charCodeAt(0)), 'a PDF document'],
		['JSON', [...'{"format": "graph-model"}'].map((c) => c.charCodeAt(0)), 'JSON'],
		['TFLite', [0x1c, 0, 0, 0, ...'TFL3'].map((c) => (typeof c === 'string' ? c.charCodeAt(0) : c)), 'TensorFlow Lite']
	])('names a %s file renamed .onnx', (_kind, magic, what) => {
		const bytes = new Uint8Array(64);
		bytes.set(magic);
		const error = errorOf(() => importOnnx(bytes, 'photo.onnx'));
		expect(error.code).toBe('not-onnx');
		expect(error.message).toContain(what);
	});

	it('checks the size before reading a byte', () => {
		expect(() => checkModelSize(MAX_MODEL_BYTES)).not.toThrow();
		expect(errorOf(() => checkModelSize(MAX_MODEL_BYTES + 1, 'big.onnx')).code).toBe('too-large');
		// A view that reports 2 GiB without holding it: importOnnx must refuse it from the length alone.
		class Huge extends Uint8Array {
			get byteLength() { return 2 ** 31; }
		}
		const error = errorOf(() => importOnnx(new Huge(0), 'llm.onnx'));
		expect(error.code).toBe('too-large');
		expect(error.message).toContain('2.00 GiB');
	});

	it('refuses a protobuf without a graph as invalid', () => {
		const error = errorOf(() => importOnnx(protoModelBytes(null as never), 'empty-graph.onnx'));
		expect(error.code).toBe('invalid');
		expect(error.message).toContain('no ONNX graph');
	});

	it('names the node and the value when a node reads an undefined value', () => {
		const bytes = protoModelBytes(protoGraph({
			node: [protoNode('Add', ['x', 'ghost'], ['y'], [], 'add_1')],
			input: [protoValueInfo('x', ELEM.float, [2])],
			output: [protoValueInfo('y', ELEM.float, [2])]
		}));
		const error = errorOf(() => importOnnx(bytes, 'broken.onnx'));
		expect(error.code).toBe('invalid');
		expect(error.message).toContain("node 'add_1' (Add)");
		expect(error.message).toContain("'ghost'");
	});

	it('keeps unknown operators: they are not import errors', () => {
		const bytes = protoModelBytes(protoGraph({
			node: [{ ...protoNode('FancyOp', ['x'], ['y']), domain: 'com.example' }],
			input: [protoValueInfo('x', ELEM.float, [2])],
			output: [protoValueInfo('y', ELEM.float, null)]
		}));
		const model = importOnnx(bytes);
		expect(model.graph.nodes[0]).toMatchObject({ opType: 'FancyOp', domain: 'com.example' });
		expect(model.graph.outputs[0].shape).toBeNull();
	});

	it('refuses a tensor whose data does not fit its dims, naming it', () => {
		const bytes = protoModelBytes(protoGraph({
			node: [protoNode('Add', ['x', 'w'], ['y'])],
			input: [protoValueInfo('x', ELEM.float, [3])],
			initializer: [{ name: 'w', dataType: ELEM.float, dims: [3], rawData: new Uint8Array(8) }],
			output: [protoValueInfo('y', ELEM.float, [3])]
		}));
		const error = errorOf(() => importOnnx(bytes));
		expect(error.code).toBe('invalid');
		expect(error.message).toContain("initializer 'w'");
		expect(error.message).toContain('needs 12 bytes');
	});

	it('refuses external data, saying how to fix the file', () => {
		const bytes = protoModelBytes(protoGraph({
			node: [protoNode('Add', ['x', 'w'], ['y'])],
			input: [protoValueInfo('x', ELEM.float, [3])],
			initializer: [{ name: 'w', dataType: ELEM.float, dims: [3], dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }] }],
			output: [protoValueInfo('y', ELEM.float, [3])]
		}));
		const error = errorOf(() => importOnnx(bytes));
		expect(error.code).toBe('unsupported');
		expect(error.message).toContain('external data');
	});
});
