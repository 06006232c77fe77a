import { expect, test } from '@playwright/test';
import { zooEntry } from './fixtures';

const MODEL = 'ppocr-mobile-v2-cls';

test('sweep: fp16 + int8 weight-only × fuse on/off → 6 points, a front, and a click loads the combination', async ({ page }) => {
	test.setTimeout(300_000);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry(MODEL).name, { timeout: 60_000 });

	const cell = page.getByRole('region', { name: 'Sweep: every combination' });
	await cell.scrollIntoViewIfNeeded();
	const quant = cell.getByRole('group', { name: 'Quantization modes' });
	await quant.getByRole('checkbox', { name: 'float32 (off)' }).check();
	await quant.getByRole('checkbox', { name: 'fp16' }).check();
	await quant.getByRole('checkbox', { name: 'int8 weight-only' }).check();
	await quant.getByRole('checkbox', { name: 'int8 static' }).uncheck();
	const fuse = cell.getByRole('group', { name: 'Fusion' });
	await fuse.getByRole('checkbox', { name: 'fuse off' }).check();
	await fuse.getByRole('checkbox', { name: 'fuse on' }).check();
	await expect(cell.getByTestId('sweep-count')).toHaveText('6 combinations');

	await cell.getByRole('button', { name: 'Run the sweep' }).click();
	await expect(cell.getByTestId('sweep-progress')).toContainText(/\d of 6/);
	await expect(cell.getByRole('button', { name: 'Run the sweep' })).toBeVisible({ timeout: 240_000 });
	await expect(cell.getByTestId('sweep-summary')).toContainText('6 points');
	const chart = cell.getByRole('group', { name: /Pareto chart/ });
	const dots = chart.getByRole('button');
	await expect(dots).toHaveCount(6);
	await expect(chart.locator('path.front')).toHaveCount(1);
	const onFront = await chart.locator('g.dot.on-front').count();
	expect(onFront).toBeGreaterThanOrEqual(2);
	expect(onFront).toBeLessThanOrEqual(6);
	await expect(cell.getByText(/^\s*fidelity, SQNR/)).toBeVisible();
	await expect(chart.getByText(/latency \(ms\), measured in this browser/)).toBeVisible();
	await expect(chart.getByText(/ms$/).first()).toBeVisible();

	// The modelled switch relabels the axis with the scenario's device.
	await cell.getByRole('radio', { name: /modelled for/ }).check();
	await expect(chart.getByText(/latency \(ms\), modelled for /)).toBeVisible();
	await expect(dots).toHaveCount(6);

	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await cell.scrollIntoViewIfNeeded();
		await cell.screenshot({ path: `test-results/sweep-${width}.png` });
	}
	await page.setViewportSize({ width: 1280, height: 900 });
	await cell.getByRole('radio', { name: /measured in this browser/ }).check();

	// Click the int8 weight-only point with fusion: the quantization cell's control follows.
	const quantCell = page.getByRole('region', { name: 'Quantization' });
	await expect(quantCell.getByRole('radio', { name: 'Float32 (off)' })).toBeChecked();
	await chart.getByRole('button', { name: /^fuse · int8 weight:/ }).click();
	await expect(quantCell.getByRole('radio', { name: 'int8 weight-only' })).toBeChecked();
	await expect(page.getByRole('region', { name: 'Fusion and in-place operations' }).getByRole('checkbox').first()).toBeChecked();
	await expect(chart.locator('g.dot.loaded')).toHaveCount(1);

	// Keyboard: focus the fp16 point (no fusion) and press Enter.
	await chart.getByRole('button', { name: /^fp16:/ }).focus();
	await page.keyboard.press('Enter');
	await expect(quantCell.getByRole('radio', { name: 'fp16 weights' })).toBeChecked();

	// Export as CSV: one header and six rows.
	const [dl] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Export CSV' }).click()]);
	expect(dl.suggestedFilename()).toMatch(/^tightfit-sweep-.*\.csv$/);
	const { readFileSync } = await import('node:fs');
	const csv = readFileSync((await dl.path())!, 'utf8').trim().split(/\r\n/);
	expect(csv).toHaveLength(7);
	expect(csv[0]).toContain('latencyMsMeasured');
});
