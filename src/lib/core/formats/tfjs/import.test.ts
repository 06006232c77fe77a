/**
 * TF.js layers models built here with @tensorflow/tfjs (CPU backend), saved through a custom save
 * handler, re-imported: shapes, params and — after ONNX export, run in onnxruntime-web — outputs
 * match TF.js's own predict. Also weight-quantized (uint8, uint16, float16) copies, loaded by both.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/summary';
import { float32ToFloat16 } from '../../ir/half';
import { ModelFormatError } from '../errors';
import { exportOnnx } from '../onnx/export';
import { compareOutputs, runOnnx } from '../../../testing';
import { openTfjs } from './import';
import type { NamedFile, WeightGroup, WeightSpec } from './model-json';

let seed = 42;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;

/** A small functional CNN with every layer kind the importer maps for image models. */
function buildModel(): tf.LayersModel {
	const init = () => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 7 });
	const input = tf.input({ shape: [12, 12, 3], name: 'image' });
	let x = tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }).apply(input) as tf.SymbolicTensor;
	x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(), biasInitializer: init() }).apply(x) as tf.SymbolicTensor;
	x = tf.layers.batchNormalization({ gammaInitializer: init(), betaInitializer: init(), movingMeanInitializer: init(), movingVarianceInitializer: tf.initializers.ones() }).apply(x) as tf.SymbolicTensor;
	const a = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu6', depthwiseInitializer: init(), biasInitializer: init() }).apply(x) as tf.SymbolicTensor;
	const b = tf.layers.separableConv2d({ filters: 16, kernelSize: 3, padding: 'same', depthwiseInitializer: init(), pointwiseInitializer: init(), biasInitializer: init() }).apply(x) as tf.SymbolicTensor;
	x = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
	x = tf.layers.leakyReLU({ alpha: 0.1 }).apply(x) as tf.SymbolicTensor;
	const p = tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
	const q = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
	x = tf.layers.concatenate().apply([p, q]) as tf.SymbolicTensor;
	const g = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
	let f = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
	f = tf.layers.dropout({ rate: 0.5 }).apply(f) as tf.SymbolicTensor;
	f = tf.layers.dense({ units: 10, activation: 'tanh', kernelInitializer: init(), biasInitializer: init() }).apply(f) as tf.SymbolicTensor;
	f = tf.layers.concatenate().apply([f, g]) as tf.SymbolicTensor;
	f = tf.layers.batchNormalization({ gammaInitializer: init(), betaInitializer: init(), movingMeanInitializer: init(), movingVarianceInitializer: tf.initializers.ones() }).apply(f) as tf.SymbolicTensor;
	const out = tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: init(), biasInitializer: init() }).apply(f) as tf.SymbolicTensor;
	return tf.model({ inputs: input, outputs: out });
}

async function save(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
	let artifacts: tf.io.ModelArtifacts | undefined;
	await model.save(tf.io.withSaveHandler(async (a) => {
		artifacts = a;
		return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
	}));
	return artifacts!;
}

function weightBytes(artifacts: tf.io.ModelArtifacts): Uint8Array {
	const data = artifacts.weightData!;
	return new Uint8Array(Array.isArray(data) ? data[0] : data);
}

/** model.json and one shard, as `tensorflowjs_converter` would write them. */
function files(artifacts: tf.io.ModelArtifacts, specs: WeightSpec[], shard: Uint8Array): NamedFile[] {
	const manifest: WeightGroup[] = [{ paths: ['group1-shard1of1.bin'], weights: specs }];
	const json = { format: 'layers-model', generatedBy: artifacts.generatedBy, convertedBy: null, modelTopology: artifacts.modelTopology, weightsManifest: manifest };
	return [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) }, { name: 'group1-shard1of1.bin', bytes: shard }];
}

/** Quantizes float32 weights as the converter does: affine uint8/uint16 per tensor, or float16. */
function quantize(specs: WeightSpec[], bytes: Uint8Array, dtype: 'uint8' | 'uint16' | 'float16'): { specs: WeightSpec[]; shard: Uint8Array } {
	const floats = new Float32Array(bytes.slice().buffer);
	const parts: Uint8Array[] = [];
	let at = 0;
	const out = specs.map((s) => {
		const n = s.shape.reduce((a, b) => a * b, 1);
		const v = floats.subarray(at, at + n);
		at += n;
		if (dtype === 'float16') {
			parts.push(new Uint8Array(Uint16Array.from(v, float32ToFloat16).buffer));
			return { ...s, quantization: { dtype } };
		}
		const levels = dtype === 'uint8' ? 255 : 65535;
		const min = Math.min(...v);
		const scale = (Math.max(...v) - min) / levels || 1;
		const q = Array.from(v, (x) => Math.round((x - min) / scale));
		parts.push(new Uint8Array((dtype === 'uint8' ? Uint8Array.from(q) : Uint16Array.from(q)).buffer));
		return { ...s, quantization: { dtype, scale, min, original_dtype: 'float32' } };
	});
	const shard = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
	parts.reduce((o, p) => (shard.set(p, o), o + p.length), 0);
	return { specs: out as WeightSpec[], shard };
}

describe('TF.js layers model round trip', () => {
	let model: tf.LayersModel;
	let artifacts: tf.io.ModelArtifacts;
	let input: Float32Array;
	const dims = [2, 12, 12, 3];

	beforeAll(async () => {
		await tf.setBackend('cpu');
		model = buildModel();
		artifacts = await save(model);
		input = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(() => random());
	});

	async function check(loaded: tf.LayersModel, dropped: NamedFile[]) {
		const imported = openTfjs(dropped);
		const summary = analyze(imported, { dims: { batch: dims[0] } });
		// Weights only: the int64 shape/pad constants and the scalar Clip bounds the importer adds are not parameters.
		const weights = Object.values(imported.graph.initializers).filter((i) => i.dtype === 'float32' && i.dims.length > 0);
		expect(weights.reduce((s, i) => s + i.dims.reduce((a, b) => a * b, 1), 0)).toBe(loaded.countParams());
		expect(summary.params).toBeGreaterThanOrEqual(loaded.countParams());
		expect(summary.outputs[0].shape).toEqual([dims[0], ...loaded.outputs[0].shape.slice(1)]);
		expect(imported.graph.inputs[0].shape).toEqual(['batch', 12, 12, 3]);
		const expected = tf.tidy(() => (loaded.predict(tf.tensor4d(input, dims as [number, number, number, number])) as tf.Tensor).dataSync() as Float32Array);
		const got = await runOnnx(exportOnnx(imported), { [imported.graph.inputs[0].name]: { dtype: 'float32', dims, data: input } });
		const [out] = Object.values(got);
		expect(compareOutputs({ y: out }, { y: { dtype: 'float32', dims: [dims[0], 5], data: expected } }, { atol: 1e-4, rtol: 0 })).toEqual([]);
		return imported;
	}

	it('float32: shapes, params and outputs match predict', async () => {
		const imported = await check(model, files(artifacts, artifacts.weightSpecs as WeightSpec[], weightBytes(artifacts)));
		const ops = new Set(imported.graph.nodes.map((n) => n.opType));
		for (const op of ['Conv', 'BatchNormalization', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Gemm', 'Softmax', 'LeakyRelu', 'Clip', 'Pad', 'Concat']) expect(ops).toContain(op);
		expect(imported.metadata.tfjsStoredWeightBytes).toBe(String(weightBytes(artifacts).byteLength));
	});

	for (const dtype of ['uint8', 'uint16', 'float16'] as const) {
		it(`${dtype}-quantized weights: dequantized as TF.js loads them`, async () => {
			const { specs, shard } = quantize(artifacts.weightSpecs as WeightSpec[], weightBytes(artifacts), dtype);
			const loaded = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelTopology, weightSpecs: specs as tf.io.WeightsManifestEntry[], weightData: shard.slice().buffer }));
			const imported = await check(loaded, files(artifacts, specs, shard));
			expect(imported.metadata.tfjsWeightQuantization).toBe(dtype);
			expect(Number(imported.metadata.tfjsStoredWeightBytes)).toBe(shard.byteLength);
			loaded.dispose();
		});
	}

	it('a Sequential model with Dense, Reshape and Activation layers', async () => {
		const seq = tf.sequential({ layers: [
			tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu' }),
			tf.layers.reshape({ targetShape: [2, 4] }),
			tf.layers.dense({ units: 3 }),
			tf.layers.activation({ activation: 'sigmoid' }),
			tf.layers.flatten()
		] });
		const a = await save(seq);
		const imported = openTfjs(files(a, a.weightSpecs as WeightSpec[], weightBytes(a)));
		const x = new Float32Array(12).map(() => random());
		const expected = tf.tidy(() => (seq.predict(tf.tensor2d(x, [2, 6])) as tf.Tensor).dataSync() as Float32Array);
		const [out] = Object.values(await runOnnx(exportOnnx(imported), { [imported.graph.inputs[0].name]: { dtype: 'float32', dims: [2, 6], data: x } }));
		expect(compareOutputs({ y: out }, { y: { dtype: 'float32', dims: [2, 6], data: expected } }, { atol: 1e-4, rtol: 0 })).toEqual([]);
		seq.dispose();
	});
});

describe('TF.js import errors', () => {
	let good: NamedFile[];
	beforeAll(async () => {
		await tf.setBackend('cpu');
		const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
		const a = await save(m);
		good = files(a, a.weightSpecs as WeightSpec[], weightBytes(a));
		m.dispose();
	});
	const error = (fn: () => unknown): ModelFormatError => {
		try {
			fn();
		} catch (e) {
			expect(e).toBeInstanceOf(ModelFormatError);
			return e as ModelFormatError;
		}
		throw new Error('expected a ModelFormatError');
	};

	it('corrupt model.json', () => {
		const e = error(() => openTfjs([{ name: 'model.json', bytes: good[0].bytes.subarray(0, 40) }, good[1]]));
		expect(e.code).toBe('invalid');
		expect(e.message).toMatch(/'model\.json' is not valid JSON/);
		const noTopology = error(() => openTfjs([{ name: 'model.json', bytes: new TextEncoder().encode('{"weightsManifest": []}') }]));
		expect(noTopology.message).toMatch(/no "modelTopology"/);
	});

	it('missing shard', () => {
		const e = error(() => openTfjs([good[0]]));
		expect(e.code).toBe('invalid');
		expect(e.message).toMatch(/needs the weight file 'group1-shard1of1\.bin', which was not given/);
	});

	it('shard of the wrong length', () => {
		const short = error(() => openTfjs([good[0], { name: 'group1-shard1of1.bin', bytes: good[1].bytes.subarray(4) }]));
		expect(short.code).toBe('truncated');
		expect(short.message).toMatch(/hold 36 bytes, shorter than the 40 bytes/);
		const long = error(() => openTfjs([good[0], { name: 'group1-shard1of1.bin', bytes: new Uint8Array(44) }]));
		expect(long.message).toMatch(/longer than the 40 bytes/);
	});

	it('a file that is neither', () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
		const e = error(() => openTfjs([{ name: 'cat.png', bytes: png }]));
		expect(e.message).toMatch(/No TensorFlow\.js model\.json among the files given \('cat\.png' \(a PNG image\)\)/);
	});
});
