import { statSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { zooEntry } from './fixtures';

const MODEL = 'ppocr-mobile-v2-cls';

async function value(locator: Locator, attr = 'data-value'): Promise<number> {
	return Number(await locator.getAttribute(attr));
}

/** Waits for the cell's variant to show `pipeline`, then checks fidelity and latency figures are there. */
async function expectVariant(cell: Locator, pipeline: string) {
	await expect(cell.getByTestId('variant-pipeline')).toHaveText(pipeline, { timeout: 90_000 });
	await expect(cell.getByTestId('latency-ratio')).toBeVisible({ timeout: 90_000 });
	const ratio = await value(cell.getByTestId('latency-ratio'));
	expect(ratio).toBeGreaterThan(0);
	expect(Number.isFinite(ratio)).toBe(true);
	await expect(cell.getByTestId('fidelity-sqnr').first()).toBeVisible();
	await expect(cell.getByText('measured in this browser', { exact: true })).toBeVisible();
}

async function download(page: Page, cell: Locator): Promise<number> {
	const [dl] = await Promise.all([page.waitForEvent('download'), cell.getByTestId('download-variant').click()]);
	expect(dl.suggestedFilename()).toMatch(/\.onnx$/);
	return statSync((await dl.path())!).size;
}

async function shoot(page: Page, cell: Locator, name: string) {
	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await cell.scrollIntoViewIfNeeded();
		await cell.screenshot({ path: `test-results/transforms-${name}-${width}.png` });
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('each transform makes a variant with smaller weights where expected, fidelity, a latency ratio and a download', async ({ page }) => {
	test.setTimeout(300_000);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry(MODEL).name, { timeout: 60_000 });

	// Quantization: fp16 halves the stored weights (RAM stays float32), then int8 weight-only per-channel.
	const quant = page.getByRole('region', { name: 'Quantization' });
	await quant.getByRole('radio', { name: 'fp16 weights' }).check();
	await expectVariant(quant, 'fp16 weights');
	const dense = quant.getByTestId('variant-dense');
	expect(await value(dense)).toBeLessThan((await value(dense, 'data-before')) * 0.6);
	expect(await download(page, quant)).toBeGreaterThan(0);
	await quant.getByRole('radio', { name: 'int8 weight-only' }).check();
	await quant.getByRole('checkbox', { name: /Per-channel/ }).check();
	await expectVariant(quant, 'int8 weight-only per-channel');
	expect(await value(dense)).toBeLessThan((await value(dense, 'data-before')) * 0.35);
	expect(await value(quant.getByTestId('variant-ram'))).toBeLessThan(await value(quant.getByTestId('variant-ram'), 'data-before'));
	await expect(quant.getByRole('img', { name: /SQNR of each quantized weight tensor/ })).toBeVisible();
	expect(await download(page, quant)).toBeGreaterThan(0);
	await shoot(page, quant, 'quantization');
	await quant.getByRole('radio', { name: 'Float32 (off)' }).check();

	// Pruning: storage shrinks (sparse), RAM does not.
	const prune = page.getByRole('region', { name: 'Pruning' });
	await prune.getByRole('radio', { name: /Unstructured/ }).check();
	await expectVariant(prune, 'prune 50%');
	const sparse = prune.getByTestId('variant-sparse');
	expect(await value(sparse)).toBeLessThan((await value(sparse, 'data-before')) * 0.8);
	const ram = prune.getByTestId('variant-ram');
	expect(await value(ram)).toBe(await value(ram, 'data-before'));
	await expect(prune.getByTestId('pruned-sparsity')).toContainText('zeros');
	expect(await download(page, prune)).toBeGreaterThan(0);
	await shoot(page, prune, 'pruning');
	await prune.getByRole('radio', { name: 'Off' }).check();

	// Fusion: all 35 BatchNorms fold into their Convs; outputs stay the same.
	const fusion = page.getByRole('region', { name: 'Fusion and in-place operations' });
	await fusion.getByRole('checkbox', { name: /Fold BatchNorm/ }).check();
	await expectVariant(fusion, 'fuse');
	await expect(fusion.getByTestId('batchnorm-count')).toContainText('→ 0');
	expect(await value(fusion.getByTestId('fidelity-sqnr').first())).toBeGreaterThan(60);
	await expect(fusion.getByTestId('inplace-count')).toContainText('in-place-eligible');
	expect(await download(page, fusion)).toBeGreaterThan(0);
	await shoot(page, fusion, 'fusion');
	// Conv + activation written as onnxruntime's com.microsoft FusedConv: the variant still runs and agrees.
	await fusion.getByRole('checkbox', { name: /FusedConv/ }).check();
	await expectVariant(fusion, 'fuse + FusedConv');
	await expect(fusion.getByText(/24 written as FusedConv/)).toBeVisible();
	expect(await value(fusion.getByTestId('fidelity-sqnr').first())).toBeGreaterThan(60);
	await fusion.getByRole('checkbox', { name: /FusedConv/ }).uncheck();
	await fusion.getByRole('checkbox', { name: /Fold BatchNorm/ }).uncheck();

	// Weight sharing: 4-bit codebooks; the packed size is far below the float weights.
	const share = page.getByRole('region', { name: 'Weight sharing' });
	await share.getByRole('combobox', { name: 'Index bits' }).selectOption('4');
	await expectVariant(share, 'share 4-bit');
	await expect(share.getByTestId('shared-sizes')).toContainText('Huffman');
	const compressed = share.getByTestId('variant-compressed');
	expect(await value(compressed)).toBeLessThan(await value(compressed, 'data-before'));
	expect(await download(page, share)).toBeGreaterThan(0);
	await shoot(page, share, 'sharing');
});
