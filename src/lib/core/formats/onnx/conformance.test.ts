/**
 * The ONNX backend conformance corpus (../shared/onnx-conformance): every test's model goes
 * through importOnnx → exportOnnx, the export runs in onnxruntime-web (wasm, Node), and its outputs
 * must match the expected .pb files. Tests onnxruntime-web 1.30.0 itself fails are skipped by the
 * manifest's list, and only those.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compareOutputs, conformanceDir, readConformanceCase, readManifest, runOnnx } from '../../../testing';
import type { TensorMap } from '../../../testing';
import { exportOnnx } from './export';
import { importOnnx } from './import';

const dir = conformanceDir();
const manifest = dir ? readManifest(dir) : {};
const names = Object.keys(manifest).sort();
const runnable = names.filter((n) => manifest[n].onnxruntime_web_1_30_0.status === 'pass');
const skipped = names.filter((n) => manifest[n].onnxruntime_web_1_30_0.status !== 'pass');
let passed = 0;

if (!dir) console.info('ONNX conformance corpus not found at ../shared/onnx-conformance: conformance round trip skipped.');

describe.skipIf(!dir)('ONNX conformance round trip (import → export → onnxruntime-web)', () => {
	afterAll(() => {
		console.info(`ONNX conformance: ${passed} of ${names.length} passed, ${skipped.length} skipped (onnxruntime-web 1.30.0 fails them: manifest list).`);
	});

	it.each(runnable)('%s', async (name) => {
		const test = readConformanceCase(dir!, name);
		const model = importOnnx(test.model, `${name}/model.onnx`);
		const exported = exportOnnx(model);
		const feeds: TensorMap = {};
		const graphInputs = model.graph.inputs;
		test.inputs.forEach((t, i) => (feeds[graphInputs[i].name] = t));
		const expected: TensorMap = {};
		test.outputs.forEach((t, i) => (expected[model.graph.outputs[i].name] = t));
		const got = await runOnnx(exported, feeds);
		expect(compareOutputs(got, expected)).toEqual([]);
		passed++;
	});

	it.skip.each(skipped)('%s (onnxruntime-web 1.30.0 cannot run it)', () => {});
});
