/** Importer fixes found by the fuzz harness: each damaged file now ends in a ModelFormatError. */
import { describe, expect, it } from 'vitest';
import { ELEM, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../testing/onnx-builders';
import { nestedIfModel } from '../fuzz/hostile-models';
import { ModelFormatError } from './errors';
import { importOnnx } from './onnx/import';
import { importTfjsJson } from './tfjs/import';

function codeOf(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		if (error instanceof ModelFormatError) return error.code;
		throw error;
	}
	return 'no error';
}

const f32 = (name: string, dims: (number | string | null)[] | null) => protoValueInfo(name, ELEM.float, dims);

describe('ONNX import of damaged structure', () => {
	it('refuses a graph attribute that holds no graph', () => {
		const bytes = protoModelBytes(protoGraph({ node: [protoNode('If', ['c'], ['y'], [{ name: 'then_branch', type: 5 }, { name: 'else_branch', type: 5 }])], input: [protoValueInfo('c', ELEM.bool, [])], output: [f32('y', null)] }));
		expect(codeOf(() => importOnnx(bytes))).toBe('invalid');
	});

	it('reads a few nested subgraphs but refuses 300 levels', () => {
		expect(codeOf(() => importOnnx(nestedIfModel(3)))).toBe('no error');
		expect(codeOf(() => importOnnx(nestedIfModel(300)))).toBe('unsupported');
	});

	it('reads a negative dim_value as an unknown dim', () => {
		const model = importOnnx(protoModelBytes(protoGraph({ node: [protoNode('Relu', ['x'], ['y'])], input: [f32('x', [-1, 4])], output: [f32('y', [-1, 4])] })));
		expect(model.graph.inputs[0].shape).toEqual(['unk_x_0', 4]);
	});
});

describe('TF.js import of a damaged manifest', () => {
	const manifest = (weights: unknown[]) => new TextEncoder().encode(JSON.stringify({
		modelTopology: { class_name: 'Sequential', config: { layers: [] } }, weightsManifest: [{ paths: ['a.bin'], weights }]
	}));

	it.each([
		['no shape', { name: 'w', dtype: 'float32' }],
		['a negative dim', { name: 'w', shape: [-1], dtype: 'float32' }],
		['an unknown dtype', { name: 'w', shape: [1], dtype: 'float128' }],
		['no name', { shape: [1], dtype: 'float32' }]
	])('refuses a weight with %s', (_label, spec) => {
		expect(codeOf(() => importTfjsJson(manifest([spec])))).toBe('invalid');
	});
});
