/**
 * The fused-tile partitioning cell: pick the reference network, go from 1×1 to 3×3 tiles and see the peak
 * per device fall and the halo's extra MACs rise; run the tiles in onnxruntime-web and check the stitched
 * output equals the untiled one.
 */
import { expect, test, type Page } from '@playwright/test';

const cell = (page: Page) => page.locator('section#tiling');
const value = async (page: Page, id: string) => Number(await cell(page).getByTestId(id).getAttribute('data-value'));

test('reference network: a 3×3 grid cuts peak per device, adds halo MACs, and the stitched tiles equal the untiled stack', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/');
	const c = cell(page);
	await c.scrollIntoViewIfNeeded();
	await c.getByLabel('Network').selectOption('reference');
	await expect(c.getByTestId('tiling-network')).toContainText('reference architecture, seeded weights, not trained', { timeout: 90_000 });
	await c.getByLabel('Fused depth L').fill('8');
	await c.getByLabel('Fused depth L').press('Enter');
	await c.getByLabel('Grid rows').selectOption('1');
	await c.getByLabel('Grid columns').selectOption('1');
	const figures = c.getByTestId('tiling-figures');
	await expect(figures).toContainText('L = 8 fused layers, 1×1 tiles', { timeout: 60_000 });
	await expect(figures).toContainText('modelled for');
	await expect(c.getByTestId('extra-macs')).toContainText('+0.0% extra MACs');
	const peak1 = await value(page, 'peak-per-device');
	const text1 = await c.getByTestId('peak-per-device').textContent();

	await c.getByLabel('Grid rows').selectOption('3');
	await c.getByLabel('Grid columns').selectOption('3');
	await expect(figures).toContainText('3×3 tiles', { timeout: 60_000 });
	await expect(c.getByTestId('tile-grid')).toHaveAttribute('data-tiles', '9');
	const peak3 = await value(page, 'peak-per-device');
	expect(peak3).toBeLessThan(peak1);
	await expect(c.getByTestId('peak-per-device')).not.toHaveText(text1 ?? '');
	// Text, not only attributes: the extra MACs now read as a positive percentage.
	await expect(c.getByTestId('extra-macs')).toContainText(/\+[1-9]\d*\.\d% extra MACs/);
	expect(await value(page, 'extra-macs')).toBeGreaterThan(0);

	// Hovering a tile names it and its device.
	await c.locator('g.tile').nth(4).hover();
	await expect(c.getByTestId('tile-caption')).toContainText(/tile \(2, 2\) on device \d/);
	await expect(c.getByTestId('tiling-sweep')).toBeVisible();

	await c.getByRole('button', { name: 'Run tiled in this browser' }).click();
	await expect(c.getByTestId('tiling-diff')).toContainText('max |diff|', { timeout: 180_000 });
	expect(await value(page, 'tiling-diff')).toBeLessThanOrEqual(1e-4);
	await expect(c.getByTestId('tiling-measured')).toContainText('Measured in this browser');
	await expect(c.getByTestId('measured-tiled-ms')).toHaveText(/\d+(\.\d+)? (ms|µs|s)/);
	await expect(c.getByTestId('measured-untiled-ms')).toHaveText(/\d+(\.\d+)? (ms|µs|s)/);

	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await page.mouse.move(0, 0);
		await c.screenshot({ path: `test-results/tiling-${width}.png` });
	}
});
