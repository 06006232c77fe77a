/**
 * A TF.js model dropped as model.json + shard (made here with @tensorflow/tfjs in Node), summarised, then
 * measured in the runtimes cell on TF.js WebGL (headless Chromium's software WebGL2) and WASM, with
 * onnxruntime-web beside it; screenshots of the cell at desktop and phone widths.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeScenario } from '../../src/lib/core/scenario/index';
import { expect, test } from '@playwright/test';
import { expectedZooSummary, keyFigures, zooEntry } from './fixtures';

async function writeLayersModel(dir: string): Promise<string[]> {
	await tf.setBackend('cpu');
	const init = (seed: number) => tf.initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed });
	const model = tf.sequential({
		layers: [
			tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
			tf.layers.maxPooling2d({ poolSize: 2 }),
			tf.layers.separableConv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', depthwiseInitializer: init(2), pointwiseInitializer: init(3) }),
			tf.layers.globalAveragePooling2d({}),
			tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) })
		]
	});
	let artifacts: tf.io.ModelArtifacts | undefined;
	await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
	model.dispose();
	mkdirSync(dir, { recursive: true });
	const json = { format: 'layers-model', generatedBy: 'tightfit e2e', convertedBy: null, modelTopology: artifacts!.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts!.weightSpecs }] };
	writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
	writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(artifacts!.weightData as ArrayBuffer));
	return [join(dir, 'model.json'), join(dir, 'group1-shard1of1.bin')];
}

test('drop model.json with its shard, run it on TF.js WebGL and WASM beside onnxruntime-web', async ({ page }, info) => {
	test.setTimeout(240_000);
	const files = await writeLayersModel(info.outputPath('tfjs-model'));
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toBeVisible({ timeout: 60_000 });
	await page.locator('#model input[type=file]').setInputFiles(files);
	await expect(page.getByTestId('model-name')).toHaveText('model.json', { timeout: 60_000 });
	// 3·3·3·16 + 16, 9·16 + 16·32 + 32, 32·10 + 10 parameters.
	await expect(page.getByTestId('params')).toHaveAttribute('data-value', String(448 + 688 + 330));

	const cell = page.locator('#runtimes');
	await cell.scrollIntoViewIfNeeded();
	await expect(cell.getByTestId('runtime-model')).toContainText('TensorFlow.js layers model');
	await cell.getByRole('checkbox', { name: 'TF.js WebGL' }).check();
	await cell.getByRole('checkbox', { name: 'TF.js WASM' }).check();
	await cell.getByRole('checkbox', { name: 'TF.js CPU' }).uncheck();
	await cell.getByRole('checkbox', { name: 'onnxruntime-web WASM' }).check();
	await cell.getByRole('button', { name: 'Measure runtimes' }).click();
	for (const id of ['tfjs-webgl', 'tfjs-wasm', 'ort-wasm']) {
		await expect(cell.getByTestId(`latency-${id}`), id).toHaveText(/^[\d.,]+ (ms|µs|s)$/, { timeout: 120_000 });
	}
	await expect(cell.getByRole('list', { name: 'Model weights vs runtime overhead' })).toBeVisible();
	await expect(cell).toContainText('measured in this browser');
	await cell.screenshot({ path: 'test-results/tfjs-runtimes-1280.png' });
	await page.setViewportSize({ width: 390, height: 844 });
	await cell.scrollIntoViewIfNeeded();
	await cell.screenshot({ path: 'test-results/tfjs-runtimes-390.png' });
});

test('uint8 weight storage: stored bytes shrink, tensor bytes after load do not', async ({ page }, info) => {
	const files = await writeLayersModel(info.outputPath('tfjs-model'));
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toBeVisible({ timeout: 60_000 });
	await page.locator('#model input[type=file]').setInputFiles(files);
	await expect(page.getByTestId('model-name')).toHaveText('model.json', { timeout: 60_000 });
	const cell = page.locator('#runtimes');
	for (const name of ['TF.js WebGL', 'TF.js WASM', 'onnxruntime-web WASM']) await cell.getByRole('checkbox', { name }).uncheck();
	await cell.getByRole('checkbox', { name: 'TF.js CPU' }).check();
	await cell.getByLabel('TF.js weight quantization').selectOption('uint8');
	await cell.getByRole('button', { name: 'Measure runtimes' }).click();
	await expect(cell.getByTestId('latency-tfjs-cpu')).toHaveText(/ms|µs/, { timeout: 60_000 });
	await cell.getByText('TF.js CPU: memory by phase').click();
	const floats = 448 + 688 + 330;
	await expect(cell).toContainText(new RegExp(`${(floats / 1024).toFixed(2)} KiB on disk, ${((4 * floats) / 1024).toFixed(2)} KiB of tensors after load`));
});

test('the TF.js tiny face detector, picked in the zoo: its summary, a link that reopens it, and TF.js WASM beside onnxruntime-web', async ({ page }) => {
	test.setTimeout(240_000);
	const entry = zooEntry('tiny-face-detector');
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toBeVisible({ timeout: 60_000 });
	const zoo = page.getByRole('group', { name: 'Built-in models' });
	await expect(zoo.getByTestId('zoo-format-tiny-face-detector')).toHaveText('TF.js');
	await expect(zoo.getByTestId('zoo-format-ppocr-v4-det')).toHaveText('ONNX');
	await zoo.getByRole('radio', { name: entry.name }).check();
	await expect(page.getByTestId('model-name')).toHaveText(entry.name, { timeout: 60_000 });
	// The summary is what analyze() gives for the same files opened with openFiles in Node.
	const expected = keyFigures(await expectedZooSummary('tiny-face-detector'));
	for (const [testId, value] of Object.entries(expected)) await expect(page.getByTestId(testId), testId).toHaveAttribute('data-value', String(value));
	expect(expected.params).toBeGreaterThan(193_321); // face-api's 193,321 weights plus the constants in model.json's graph
	const cell = page.locator('#runtimes');
	await expect(cell.getByTestId('runtime-model')).toContainText('TensorFlow.js graph model, weights stored as uint8');
	// The loading cells simulate it too (as its ONNX export, which the model cell holds).
	await expect(page.locator('section#loading').getByTestId('loading-timeline').locator('[data-model="tiny-face-detector"]')).toHaveCount(1, { timeout: 60_000 });
	await expect(page.locator('section#workloads').getByRole('alert')).toHaveCount(0);

	// The scenario names it as a zoo model, so the link reopens it in a fresh page.
	// The URL is written after a short debounce (and held a default scenario before): wait until it names the model.
	await expect
		.poll(async () => (await decodeScenario(new URL(page.url()).hash)).scenario.model, { timeout: 30_000 })
		.toEqual({ kind: 'zoo', id: 'tiny-face-detector' });
	const link = page.url();
	const fresh = await page.context().newPage();
	await fresh.goto(link);
	await expect(fresh.getByTestId('model-name')).toHaveText(entry.name, { timeout: 60_000 });
	await expect(fresh.getByRole('radio', { name: entry.name })).toBeChecked();
	await expect(fresh.getByTestId('params')).toHaveAttribute('data-value', String(expected.params));
	await fresh.close();

	await cell.getByRole('checkbox', { name: 'TF.js WebGL' }).uncheck();
	await cell.getByRole('checkbox', { name: 'TF.js WASM' }).check();
	await cell.getByRole('checkbox', { name: 'onnxruntime-web WASM' }).check();
	await cell.getByLabel('Timed runs').fill('2');
	await cell.getByRole('button', { name: 'Measure runtimes' }).click();
	for (const id of ['tfjs-wasm', 'ort-wasm']) {
		await expect(cell.getByTestId(`latency-${id}`), id).toHaveText(/^[\d.,]+ (ms|µs|s)$/, { timeout: 180_000 });
	}
	// The runtime's own memory: the WASM heap before the model (runtime ready), after session creation (after
	// load) and after a run, TF.js's tf.memory(), and what dispose released.
	for (const label of ['TF.js WASM', 'onnxruntime-web WASM']) {
		const details = cell.locator('details').filter({ hasText: `${label}: memory by phase` });
		await details.getByText(`${label}: memory by phase`).click();
		const row = (phase: string) => details.getByRole('row').filter({ has: page.getByRole('rowheader', { name: phase, exact: true }) });
		for (const phase of ['runtime ready', 'after load', 'after run', 'after dispose']) {
			await expect(row(phase).getByRole('cell').nth(2), `${label} WASM heap ${phase}`).toHaveText(/\d/);
		}
		if (label === 'TF.js WASM') {
			// After load TF.js holds the 193,321 weights (and the constants) as float32 tensors: at least 755 KiB.
			await expect(row('after load').getByRole('cell').nth(0)).toHaveText(/\d/);
			await expect(details).toContainText(/Released by dispose: [\d.,]+ (KiB|MiB) of tensors \(\d+ tensors\)/);
			await expect(details).toContainText(/Weights as the files store them: [\d.,]+ KiB on disk/);
		} else {
			await expect(row('after load').getByRole('cell').nth(0)).toHaveText('—');
		}
	}
	await cell.screenshot({ path: 'test-results/tfjs-face-detector-1280.png' });
});
