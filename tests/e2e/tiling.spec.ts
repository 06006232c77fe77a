/**
 * The fused-tile partitioning cell: pick the reference network, go from 1×1 to 3×3 tiles and see the peak
 * per device fall and the halo's extra MACs rise; run the tiles in onnxruntime-web and check the stitched
 * output equals the untiled one.
 */
import { expect, test, type Page } from '@playwright/test';
import { decodeScenario, defaultScenario, encodeScenario } from '../../src/lib/core/scenario/index';

const cell = (page: Page) => page.locator('section#tiling');
const value = async (page: Page, id: string) => Number(await cell(page).getByTestId(id).getAttribute('data-value'));
const tiling = async (page: Page) => (await decodeScenario(new URL(page.url()).hash)).scenario.tiling;
const tilesOn = async (page: Page, device: number) =>
	Number(await cell(page).getByTestId('tiling-per-device').locator('li').nth(device).getAttribute('data-tiles'));

test('the first view tiles the reference net (8 layers, 3×3, gateway); start layer, gateway and device profiles are in the link', async ({ page, browser }) => {
	test.setTimeout(240_000);
	await page.goto('/');
	const c = cell(page);
	await c.scrollIntoViewIfNeeded();
	const figures = c.getByTestId('tiling-figures');
	// Defaults of scenario v3: the reference network, layers 0..7, a 3×3 grid, 100 Mbit/s and a gateway.
	await expect(figures).toContainText('L = 8 fused layers, 3×3 tiles on 1 device + gateway', { timeout: 90_000 });
	await expect(c.getByTestId('tiling-network')).toContainText('not trained');
	await expect(c.getByLabel('Network')).toHaveValue('reference');
	expect(await value(page, 'peak-per-device')).toBeGreaterThan(0);
	await expect(c.getByTestId('peak-per-device').locator('..')).toContainText(/[3-9]\.\d\d× less/);
	await expect(c.getByTestId('extra-macs')).toContainText(/\+1\d\.\d% extra MACs/);
	// The gateway holds the input and the stitched output map and merges the blocks (in the tiled latency).
	await expect(c.getByTestId('gateway-row')).toHaveAttribute('data-fits', 'true');
	expect(await value(page, 'gateway-peak')).toBeGreaterThan(0);
	await expect(c.getByTestId('tiled-latency').locator('..')).toContainText(/gateway merge \d/);

	// Three devices, the third a Pi 4: it takes more tiles than the other Pi 3 that must receive its crops; no
	// gateway, so device 1 is the source (its own tiles cross no link, so it may take the most).
	await c.getByLabel('Devices K').fill('3');
	await c.getByLabel('Devices K').press('Enter');
	await c.getByText('Profile of each device').click();
	await c.getByRole('combobox', { name: /^Profile of device 1$/ }).selectOption('pi3');
	await c.getByRole('combobox', { name: /^Profile of device 2$/ }).selectOption('pi3');
	await c.getByRole('combobox', { name: /^Profile of device 3$/ }).selectOption('pi4-2gb');
	await c.getByLabel('Gateway merges').uncheck();
	await expect(figures).toContainText('3 devices (Raspberry Pi 3', { timeout: 60_000 });
	await expect(figures).toContainText('earliest finish time');
	await expect(figures).not.toContainText('gateway');
	await expect(c.getByTestId('gateway-row')).toHaveCount(0);
	expect(await tilesOn(page, 2)).toBeGreaterThan(await tilesOn(page, 1));
	await expect.poll(async () => (await tiling(page)).profiles, { timeout: 10_000 }).toEqual(['pi3', 'pi3', 'pi4-2gb']);
	expect((await tiling(page)).gateway).toBe(false);

	// Start at layer 2: layers 0..1 run untiled, the tiles cover the 208×208 map layer 2 reads.
	await c.getByLabel('From layer').fill('2');
	await c.getByLabel('From layer').press('Enter');
	await expect(figures).toContainText('layers 2..9, 3×3 tiles', { timeout: 60_000 });
	await expect(c.getByTestId('tiling-prefix')).toContainText('Layers 0..1 run untiled first');
	await expect(c.getByTestId('tile-grid')).toHaveAttribute('aria-label', /layer 2 input map 208×208/);
	await expect.poll(async () => (await tiling(page)).layers, { timeout: 10_000 }).toEqual([2, 9]);

	// Back walks to layers 0..7; the figures follow.
	await page.goBack();
	await expect(figures).toContainText('L = 8 fused layers, 3×3 tiles on 3 devices', { timeout: 60_000 });

	// The default model (PP-OCR's direction classifier) fuses only 3 layers: L = 8 is clamped, and said so.
	await c.getByLabel('Network').selectOption('model');
	await expect(c.getByTestId('tiling-depth-warning')).toContainText('L = 8 is more than this network fuses from layer 0; using 3', { timeout: 90_000 });
	await expect.poll(async () => (await tiling(page)).network, { timeout: 10_000 }).toBe('model');
	await c.getByLabel('From layer').fill('5');
	await c.getByLabel('From layer').press('Enter');
	// The control keeps a within the fusable layers (0..2); L is then clamped to the one layer left.
	await expect(c.getByLabel('From layer')).toHaveValue('2');
	await expect(c.getByTestId('tiling-depth-warning')).toContainText('fuses from layer 2; using 1 (layers 2..2)', { timeout: 60_000 });
	await expect(figures).toContainText('layers 2..2');

	// A shared link reproduces network, start, gateway and the mixed devices in a fresh browser.
	const s = defaultScenario();
	s.tiling = { ...s.tiling, layers: [1, 4], grid: [2, 2], devices: 2, profiles: ['pi3', 'pi4-2gb'], gateway: false, network: 'reference' };
	const fresh = await browser.newPage();
	await fresh.goto('/' + (await encodeScenario(s)));
	const f = cell(fresh);
	await f.scrollIntoViewIfNeeded();
	await expect(f.getByTestId('tiling-figures')).toContainText('layers 1..4, 2×2 tiles on 2 devices (Raspberry Pi 3', { timeout: 90_000 });
	await expect(f.getByLabel('Gateway merges')).not.toBeChecked();
	await expect(f.getByLabel('From layer')).toHaveValue('1');
	await fresh.close();
});

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
