/**
 * The zoo's TF.js model: face-api's tiny face detector as the graph model models/tfjs/tiny-face-detector.js
 * writes (face-api's real uint8 weights). Our import, exported to ONNX and run in onnxruntime-web, and TF.js's
 * own `loadGraphModel` of the same files both match face-api's forward pass (`TinyFaceDetector.forward`,
 * TF.js CPU backend, weights loaded from disk with `loadFromWeightMap`) on a deterministic image.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// The no-bundle ESM build imports @tensorflow/tfjs itself; its `tf` export is the instance it uses.
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/summary';
import { compareOutputs, runOnnx } from '../../../testing';
import { exportOnnx } from '../onnx/export';
import { openTfjs } from './import';
import type { NamedFile } from './model-json';
import { CONSTS_BIN, FACE_API_MODEL_DIR, INPUT_SIZE, WEIGHTS_BIN, WEIGHTS_MANIFEST, tinyFaceDetectorGraph } from '../../../../../models/tfjs/tiny-face-detector.js';

type Tf = typeof import('@tensorflow/tfjs');
const tf = (faceapi as unknown as { tf: Tf }).tf;
const dir = join(process.cwd(), FACE_API_MODEL_DIR);

describe('tiny face detector (TF.js graph model built by the project, face-api weights)', () => {
	let files: NamedFile[];
	let image: Float32Array;
	let expected: { dims: number[]; data: Float32Array };
	const dims = [1, INPUT_SIZE, INPUT_SIZE, 3];

	beforeAll(async () => {
		await tf.setBackend('cpu');
		const manifest = JSON.parse(readFileSync(join(dir, WEIGHTS_MANIFEST), 'utf8'));
		const { modelJson, constsBin } = tinyFaceDetectorGraph(manifest);
		const bin = new Uint8Array(readFileSync(join(dir, WEIGHTS_BIN)));
		files = [
			{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(modelJson)) },
			{ name: WEIGHTS_BIN, bytes: bin },
			{ name: CONSTS_BIN, bytes: new Uint8Array(constsBin) }
		];
		// A deterministic "photo": smooth gradients plus a seeded speckle, pixel values 0–255.
		let seed = 5;
		image = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => {
			seed = (seed * 16807) % 2147483647;
			const x = (i / 3) % INPUT_SIZE;
			const y = Math.floor(i / 3 / INPUT_SIZE);
			return Math.min(255, Math.round(((x + 2 * y + 97 * (i % 3)) % 256) * 0.8 + (seed % 52)));
		});
		const net = new faceapi.TinyFaceDetector();
		const weightMap = tf.io.decodeWeights(bin.slice().buffer, manifest.flatMap((g: { weights: unknown[] }) => g.weights));
		net.loadFromWeightMap(weightMap as never);
		const out = (await net.forward(tf.tensor4d(image, dims as [number, number, number, number]) as never, INPUT_SIZE)) as unknown as import('@tensorflow/tfjs').Tensor;
		expected = { dims: out.shape, data: out.dataSync() as Float32Array };
		out.dispose();
		net.dispose();
	});

	it('imports with face-api’s parameter count and the 13×13×25 output', () => {
		const model = openTfjs(files);
		const summary = analyze(model, { dims: { batch: 1 } });
		expect(summary.outputs[0].shape).toEqual([1, 13, 13, 25]);
		expect(expected.dims).toEqual([1, 13, 13, 25]);
		// Not a degenerate output: the box logits spread over several units.
		expect(Math.max(...expected.data) - Math.min(...expected.data)).toBeGreaterThan(1);
		// 16·27+16, then per separable block 9·C + C·2C + 2C (C = 16…256), then 512·25 + 25.
		const sep = [16, 32, 64, 128, 256].reduce((s, c) => s + 9 * c + c * 2 * c + 2 * c, 0);
		const floats = Object.values(model.graph.initializers).filter((i) => i.dtype === 'float32' && i.dims.length >= 1 && i.name !== 'mean_rgb');
		expect(floats.reduce((s, i) => s + i.dims.reduce((a, b) => a * b, 1), 0)).toBe(16 * 27 + 16 + sep + 512 * 25 + 25);
		expect(model.metadata.tfjsWeightQuantization).toContain('uint8');
	});

	it('exported to ONNX and run in onnxruntime-web, matches face-api’s forward pass', async () => {
		const model = openTfjs(files);
		const got = await runOnnx(exportOnnx(model), { image: { dtype: 'float32', dims, data: image } });
		const [out] = Object.values(got);
		expect(compareOutputs({ y: out }, { y: { dtype: 'float32', ...expected } }, { atol: 2e-3, rtol: 1e-4 })).toEqual([]);
	});

	it('TF.js loads the same files with loadGraphModel and agrees with face-api', async () => {
		const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
		const specs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
		const weightData = new Uint8Array([...files[1].bytes, ...files[2].bytes]).buffer;
		const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData, format: 'graph-model' }));
		const data = tf.tidy(() => (model.execute(tf.tensor4d(image, dims as [number, number, number, number])) as import('@tensorflow/tfjs').Tensor).dataSync() as Float32Array);
		model.dispose();
		expect(compareOutputs({ y: { dtype: 'float32', dims: expected.dims, data } }, { y: { dtype: 'float32', ...expected } }, { atol: 1e-3, rtol: 1e-4 })).toEqual([]);
	});
});
