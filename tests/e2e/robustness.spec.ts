/**
 * Robustness and security in the built site: the Content-Security-Policy is there and nothing the
 * app does (load, analyse, run a model) violates it; markup in a model file or a scenario URL shows
 * as text, never as elements, and runs no script; an out-of-memory in the runtimes cell offers the
 * smaller variants; a worker that dies is restarted and the person told, whichever worker it was.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, test, type Page } from '@playwright/test';
import { onnx } from '../../src/lib/core/formats/onnx/proto';
import { ELEM, protoGraph, protoNode, protoValueInfo } from '../../src/lib/testing/onnx-builders';

const XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>';

/** Records CSP violations and dialogs from the first script on. */
async function watch(page: Page) {
	await page.addInitScript(() => {
		const w = window as unknown as { __csp: string[] };
		w.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
	});
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	return {
		dialogs,
		violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
		injected: () => page.evaluate(() => ({ xss: (window as unknown as { __xss?: number }).__xss ?? null, imgs: document.querySelectorAll('img[src="x"]').length }))
	};
}

/** An ONNX model whose node, value and graph names, doc string and metadata are all markup. */
function markupModel(): Buffer {
	return Buffer.from(onnx.ModelProto.encode({
		irVersion: 8, producerName: XSS, docString: XSS, opsetImport: [{ domain: '', version: 17 }],
		metadataProps: [{ key: XSS, value: XSS }],
		graph: protoGraph({ name: XSS, node: [protoNode('Relu', ['x'], [XSS], [], XSS)], input: [protoValueInfo('x', ELEM.float, [1, 4])], output: [protoValueInfo(XSS, ELEM.float, [1, 4])] })
	}).finish());
}

test('the page carries a CSP meta tag and loads and runs a model without violating it', async ({ page }) => {
	const w = await watch(page);
	await page.goto('/');
	const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
	expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
	expect(csp).toContain("object-src 'none'");
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 120_000 });
	expect(await w.violations()).toEqual([]);
	expect(w.dialogs).toEqual([]);
});

test('markup in a model file shows as text and runs nothing', async ({ page }) => {
	const w = await watch(page);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await page.getByLabel('Open an .onnx file…').setInputFiles({ name: `${XSS}.onnx`, mimeType: 'application/octet-stream', buffer: markupModel() });
	await expect(page.getByText('<img src=x', { exact: false }).first()).toBeVisible({ timeout: 30_000 });
	await page.waitForTimeout(500);
	expect(await w.injected()).toEqual({ xss: null, imgs: 0 });
	expect(w.dialogs).toEqual([]);
	expect(await w.violations()).toEqual([]);
});

test('markup in a scenario URL runs nothing and the page keeps working', async ({ page }) => {
	const w = await watch(page);
	await page.goto(`/#s=1.${encodeURIComponent(XSS)}`);
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await page.goto(`/#${encodeURIComponent(XSS)}`);
	await expect(page.getByTestId('model-name')).not.toBeEmpty();
	expect(await w.injected()).toEqual({ xss: null, imgs: 0 });
	expect(w.dialogs).toEqual([]);
});

/** A TF.js layers model (1×1 conv, then zero padding of 2^16 each side): 8 bytes of weights, one 68.7 GB activation. */
async function paddedLayersModel() {
	await tf.setBackend('cpu');
	const pad = 2 ** 16;
	const model = tf.sequential({
		layers: [
			tf.layers.conv2d({ inputShape: [1, 1, 1], filters: 1, kernelSize: 1, kernelInitializer: 'ones' }),
			tf.layers.zeroPadding2d({ padding: [[pad, pad], [pad, pad]] })
		]
	});
	let a: tf.io.ModelArtifacts | undefined;
	await model.save(tf.io.withSaveHandler(async (art) => ((a = art), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
	model.dispose();
	const json = { format: 'layers-model', modelTopology: a!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a!.weightSpecs }] };
	return [
		{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) },
		{ name: 'w.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(a!.weightData as ArrayBuffer) }
	];
}

test('a TF.js out-of-memory in the runtimes cell is named, smaller variants are offered, and one applies', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await page.locator('#model input[type=file]').setInputFiles(await paddedLayersModel());
	await expect(page.getByTestId('model-name')).toHaveText('model.json', { timeout: 60_000 });

	const cell = page.getByRole('region', { name: 'Runtimes and their own memory' });
	await cell.scrollIntoViewIfNeeded();
	await expect(cell.getByTestId('runtime-model')).toContainText('TensorFlow.js layers model');
	for (const name of ['TF.js WebGL', 'TF.js WASM']) await cell.getByRole('checkbox', { name }).uncheck();
	for (const name of ['TF.js CPU', 'onnxruntime-web WASM']) await cell.getByRole('checkbox', { name }).check();
	await cell.getByRole('button', { name: 'Measure runtimes' }).click();
	// TF.js's CPU backend cannot make a typed array that long; onnxruntime-web's 32-bit size_t cannot count it.
	await expect(cell.getByTestId('runtime-row-tfjs-cpu')).toContainText('tensorflow.js ran out of memory while running the model', { timeout: 120_000 });
	await expect(cell.getByTestId('runtime-row-ort-wasm')).toContainText('onnxruntime-web ran out of memory', { timeout: 120_000 });
	const offer = cell.getByTestId('smaller-variants');
	await expect(offer).toContainText('Try a smaller variant');
	await expect(offer).toContainText('TF.js dequantizes stored weights');
	await expect(offer.getByRole('button')).toHaveText(['Quantize the weights to int8 (weight-only)', 'Tile the activations (fused-tile partitioning)']);
	await cell.screenshot({ path: 'test-results/runtimes-oom-1280.png' });

	await expect(page.locator('input[name="quantize"][value="int8-weight"]')).not.toBeChecked();
	await offer.getByRole('button', { name: /int8/ }).click();
	await expect(page.locator('input[name="quantize"][value="int8-weight"]')).toBeChecked();
	await expect(page.getByRole('heading', { name: 'Quantization' })).toBeInViewport();
	// The scenario (and so its link) now names the variant; the model and the offer stay.
	await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=/);
	await expect(page.getByTestId('model-name')).toHaveText('model.json');
	await offer.getByRole('button', { name: /Tile/ }).click();
	await expect(page.getByRole('heading', { name: 'Fused-tile partitioning' })).toBeInViewport();
});

test('a worker that used to restart silently (transform) now tells the person what was lost, and the page keeps working', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	const name = await page.getByTestId('model-name').textContent();
	const quant = page.getByRole('region', { name: 'Quantization' });
	await quant.getByRole('radio', { name: 'fp16 weights' }).check();
	await expect(quant.getByTestId('variant-pipeline')).toHaveText('fp16 weights', { timeout: 120_000 });
	await expect.poll(() => page.workers().some((w) => /transform/.test(w.url())), { timeout: 30_000 }).toBe(true);
	const worker = page.workers().find((w) => /transform/.test(w.url()));

	// Start the next variant and, once the worker reports progress on it, throw a real uncaught error in
	// the worker's global scope.
	await quant.getByRole('radio', { name: 'int8 weight-only' }).check();
	await expect(quant.getByText(/Transforming in a worker: (?!starting)/)).toBeVisible({ timeout: 30_000 });
	await worker!.evaluate(() => setTimeout(() => {
		throw new Error('simulated crash');
	}));
	const notice = page.locator('[data-worker="transform"]').getByTestId('worker-notice');
	await expect(notice).toContainText('The transform worker stopped (');
	await expect(notice).toContainText('simulated crash');
	await expect(notice).toContainText('it was restarted. It was building a transformed variant; that result is lost, start it again from its cell.');
	await expect(notice).toContainText('Your scenario, model and uploaded files are kept.');
	await expect(notice).toBeInViewport();
	await page.screenshot({ path: 'test-results/worker-notice-1280.png' });
	await expect(page.getByTestId('model-name')).toHaveText(name!);
	await expect(quant.getByRole('radio', { name: 'int8 weight-only' })).toBeChecked();

	// The restarted worker serves the next variant.
	await quant.getByRole('checkbox', { name: /Per-channel/ }).check();
	await expect(quant.getByTestId('variant-pipeline')).toHaveText('int8 weight-only per-channel', { timeout: 120_000 });
	await notice.getByRole('button', { name: 'Dismiss' }).click();
	await expect(notice).toHaveCount(0);
});

test('every other worker the page started at load (loading, tiling) is named in a notice when it dies', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	// The worker file each rpc client is named after (state/workers.ts, loading.svelte.ts, tiling.svelte.ts).
	const names: Record<string, string> = { loading: 'loading', tiling: 'tiling' };
	await expect.poll(() => Object.keys(names).filter((k) => page.workers().some((w) => w.url().includes(`/${k}.worker`))), { timeout: 60_000 }).toEqual(
		Object.keys(names)
	);
	for (const [file, name] of Object.entries(names)) {
		const worker = page.workers().find((w) => w.url().includes(`/${file}.worker`))!;
		await worker.evaluate(() => setTimeout(() => {
			throw new Error('simulated crash');
		}));
		const notice = page.locator(`[data-worker="${name}"]`).getByTestId('worker-notice');
		await expect(notice).toContainText(`The ${name} worker stopped (`);
		await expect(notice).toContainText('it was restarted.');
		await expect(notice).toContainText('Your scenario, model and uploaded files are kept.');
	}
	await expect(page.getByTestId('worker-notice')).toHaveCount(2);
	await expect(page.getByRole('heading', { level: 1, name: 'Tightfit' })).toBeVisible();
});
