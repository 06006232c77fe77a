/**
 * The runtimes worker's handler in Node: TF.js on the CPU backend and onnxruntime-web on the same small
 * layers model, with quantized weights; tf.memory() returns to where it started after dispose.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../core/formats/onnx/export';
import { openTfjs } from '../core/formats/tfjs/import';
import type { NamedFile } from '../core/formats/tfjs/model-json';
import { handleRuntime } from './tfjs-handler';
import type { RuntimeRequest } from './protocol';

let files: NamedFile[];
const x = Float32Array.from({ length: 2 * 8 * 8 * 3 }, (_, i) => ((i * 37) % 17) / 17);

beforeAll(async () => {
	await tf.setBackend('cpu');
	const model = tf.sequential({ layers: [
		tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.randomUniform({ seed: 3 }) }),
		tf.layers.flatten(),
		tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.randomUniform({ seed: 4 }) })
	] });
	let a: tf.io.ModelArtifacts | undefined;
	await model.save(tf.io.withSaveHandler(async (artifacts) => ((a = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
	const json = { format: 'layers-model', modelTopology: a!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a!.weightSpecs }] };
	files = [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) }, { name: 'w.bin', bytes: new Uint8Array(a!.weightData as ArrayBuffer) }];
	model.dispose();
});

const request = (over: Partial<RuntimeRequest>): RuntimeRequest => ({
	id: 1, type: 'measure', runtime: 'tensorflow.js', backend: 'cpu', files, tfjsWasmPaths: '', ortWasmPaths: '', modelWeightBytes: 0,
	feeds: { input: { dtype: 'float32', dims: [2, 8, 8, 3], data: x } }, inputBasis: 'test input', warmup: 1, runs: 3, ...over
});

describe('handleRuntime', () => {
	it('TF.js cpu: latency, tf.memory() per phase, everything released after dispose', async () => {
		const stages: string[] = [];
		const r = await handleRuntime(request({}), (p) => stages.push(p.stage));
		expect(r.backend).toMatchObject({ runtime: 'tensorflow.js', ep: 'cpu' });
		expect(r.latency.runs).toBe(3);
		expect(stages).toContain('warm-up');
		const phases = Object.fromEntries(r.memory.snapshots.map((s) => [s.phase, s]));
		// Weights: 3·3·3·4 + 4 + 144·3 + 3 floats.
		const weights = 4 * (108 + 4 + 432 + 3);
		expect(r.memory.weightBytes).toBe(weights);
		expect(phases['after dispose'].tensors).toBe(phases['runtime ready'].tensors);
		expect(r.memory.released.tensorBytes).toBe(weights);
		expect(r.storedWeightBytes).toBe(weights);
	});

	it('uint8 weights: storage shrinks to a quarter, tensor bytes after load do not', async () => {
		const r = await handleRuntime(request({ weightQuantization: 'uint8' }), () => {});
		expect(r.storedWeightBytes).toBe(547);
		expect(r.memory.weightBytes).toBe(4 * 547);
		expect(r.weightQuantization).toBe('uint8');
	});

	it('onnxruntime-web beside it on the exported model', async () => {
		const bytes = exportOnnx(openTfjs(files));
		const name = openTfjs(files).graph.inputs[0].name;
		const r = await handleRuntime(request({ runtime: 'onnxruntime-web', backend: 'wasm', bytes, files: undefined, modelWeightBytes: 2188, feeds: { [name]: { dtype: 'float32', dims: [2, 8, 8, 3], data: x } } }), () => {});
		expect(r.backend.runtime).toBe('onnxruntime-web');
		expect(r.latency.runs).toBe(3);
		expect(r.memory.snapshots.map((s) => s.phase)).toEqual(['worker start', 'runtime ready', 'after load', 'after run', 'after dispose']);
	});
});

describe('multi-file analysis', () => {
	it('model.json + shard: analysed as TF.js, with its ONNX export for the ONNX tools', async () => {
		const { handleAnalysis } = await import('./analysis-handler');
		const r = await handleAnalysis({ id: 1, type: 'analyze', bytes: files[0].bytes, fileName: 'model.json', dims: { batch: 1 }, files }, () => {});
		expect(r.modelFormat).toBe('tfjs');
		expect(r.modelMetadata?.tfjsFormat).toBe('layers-model');
		expect(r.summary.params).toBe(547);
		expect(r.onnxBytes?.byteLength).toBeGreaterThan(4 * 547);
	});
});
