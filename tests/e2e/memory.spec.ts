import { expect, test, type Page } from '@playwright/test';
import { zooEntry } from './fixtures';

/** Silero VAD: the heap planners leave holes (≈ 1.33× the bound) where greedy by size is optimal. */
const MODEL = 'silero-vad-v5';

async function openModel(page: Page, id: string) {
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toBeVisible({ timeout: 60_000 });
	await page.getByRole('radio', { name: zooEntry(id).name }).check();
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry(id).name, { timeout: 60_000 });
	for (const cell of ['arena', 'order', 'device']) await openCell(page, cell);
	await expect(page.locator('#arena').getByTestId('memory-map').first()).toBeVisible({ timeout: 60_000 });
}

/** Opens a notebook cell by its header button (cells open per the scenario's `cells`). */
async function openCell(page: Page, id: string) {
	const button = page.locator(`#${id}-title button`);
	if ((await button.getAttribute('aria-expanded')) === 'false') await button.click();
	await expect(button).toHaveAttribute('aria-expanded', 'true');
}

async function setCeiling(page: Page, text: string) {
	const input = page.getByLabel('Ceiling in bytes');
	await input.fill(text);
	await input.press('Enter');
}

test('switching planners changes the arena; the ceiling flips the verdict; a pinned baseline sits beside the current scenario', async ({ page }) => {
	await openModel(page, MODEL);
	const arena = page.locator('#arena');
	const map = arena.getByTestId('memory-map').first();

	await arena.getByLabel('Planner', { exact: true }).selectOption('greedy-size');
	await expect(map).toHaveAttribute('data-planner', 'greedy-size');
	const greedy = Number(await map.getAttribute('data-arena'));
	await arena.getByLabel('Planner', { exact: true }).selectOption('heap-first-fit');
	await expect(map).toHaveAttribute('data-planner', 'heap-first-fit');
	const heap = Number(await map.getAttribute('data-arena'));
	expect(heap).toBeGreaterThan(greedy);
	await expect(map).toContainText('Heap, first fit');
	// Focusing (or hovering) a tensor names it, its op and its bytes.
	await map.locator('rect.buf').first().focus();
	await expect(arena.getByTestId('memory-map-tip').first()).toContainText(/produced by .+\(.+\)|a graph input/);
	await arena.getByLabel('Compare with').check();
	await expect(arena.getByTestId('memory-map')).toHaveCount(2);
	await arena.getByLabel('Planner', { exact: true }).selectOption('greedy-size');

	const device = page.locator('#device');
	await setCeiling(page, '64 KB');
	await expect(device.getByTestId('verdict')).toHaveAttribute('data-status', 'does-not-fit');
	await expect(device.getByTestId('verdict')).toContainText('Does not fit');
	const tensor = (await device.getByTestId('verdict-tensor').locator('strong').textContent())?.trim();
	expect(tensor, 'the verdict names a tensor').toBeTruthy();
	await expect(device.getByTestId('verdict-tensor')).toContainText(/at step \d+/);

	await setCeiling(page, '64 MB');
	await expect(device.getByTestId('verdict')).toHaveAttribute('data-status', 'fits');
	await expect(device.getByTestId('verdict')).toContainText('Fits');

	// The slider moves the ceiling too (log scale).
	await device.getByLabel(/Memory ceiling/).fill('0');
	await expect(device.getByTestId('ceiling-value')).toHaveAttribute('data-value', String(16 * 1024));
	await expect(device.getByTestId('verdict')).toHaveAttribute('data-status', 'does-not-fit');

	const panel = page.getByRole('complementary', { name: 'Figures' });
	await panel.getByRole('button', { name: 'Pin as baseline' }).click();
	await expect(panel.getByTestId('panel-row-baseline')).toContainText('does not fit');
	await setCeiling(page, '64 MB');
	await expect(panel.getByTestId('panel-row-current')).toContainText('fits');
	await expect(panel.getByTestId('panel-row-baseline')).toContainText('does not fit');
	await expect(panel.getByRole('img', { name: 'Footprint in RAM (bytes)' })).toBeVisible();
	await expect(panel.getByText('modelled for')).toBeVisible();

	// A device edit that breaks the profile is refused inline.
	await device.getByText('Edit a copy of this profile').click();
	const bw = device.getByRole('textbox', { name: /SRAM bandwidth/ }).first();
	await bw.fill('0');
	await bw.press('Enter');
	await expect(device.getByRole('alert').filter({ hasText: 'bandwidthBytesPerSecond' })).toBeVisible();
});

test('running the model in this browser adds the measured WASM heap beside the modelled ledger terms', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 900 });
	await openModel(page, MODEL);
	const device = page.locator('#device');
	await device.getByLabel('Device', { exact: true }).selectOption('browser');
	await expect(device.getByText('Run the model in this browser')).toBeVisible();
	await expect(device.getByTestId('ledger-measured')).toHaveCount(0);
	const table = device.getByTestId('ledger-table');
	await expect(table.locator('tr[data-kind="modelled"]')).toHaveCount(5);

	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 90_000 });
	const session = device.locator('[data-testid="ledger-measured"][data-term="heap-session"]');
	await expect(session).toBeVisible();
	expect(Number(await session.getAttribute('data-bytes')), 'the session grew the WASM heap').toBeGreaterThan(0);
	await expect(session).toContainText('measured');
	await expect(session).toContainText("onnxruntime-web's WebAssembly.Memory");
	// Each measurement runs in a fresh worker, so the heap before the session is empty.
	await expect(session).toContainText('0 B before creating the session');
	await expect(session).not.toContainText('understated');
	await expect(device.locator('[data-testid="ledger-measured"][data-term="heap-run"]')).toBeVisible();
	// The modelled rows are still there, labelled modelled, and the measured total is its own row.
	await expect(table.locator('tr[data-kind="modelled"]')).toHaveCount(5);
	await expect(table).toContainText('Total, measured');
	// The chart draws the measured bar (solid) under the modelled one (hatched).
	await expect(device.getByRole('img', { name: /Measured: WASM heap growth: creating the session .* \(measured\)/ })).toBeAttached();
	// After the run, the MatMul microbenchmark calibrates "This browser": its estimate sits next to the measured latency.
	await expect(device.getByTestId('check-microbench')).toBeVisible({ timeout: 60_000 });
	expect(Number(await device.getByTestId('check-microbench').getAttribute('data-rate'))).toBeGreaterThan(1e6);
	await expect(device.getByTestId('browser-check')).toContainText('calibrated by the microbenchmark');
	// …and the latency formula's constants show the calibrated rate, not the uncalibrated one.
	await expect(device.getByTestId('latency-constants')).toContainText('MatMul 256×512 · 512×512');
	await expect(device.getByTestId('latency-constants')).not.toContainText('not yet calibrated');
	await device.getByTestId('ledger-table').screenshot({ path: 'test-results/memory-ledger-measured-narrow.png' });
	await device.screenshot({ path: 'test-results/memory-device-measured-narrow.png' });

	// On another device the measured heap is a hint, not a ledger row.
	await device.getByLabel('Device', { exact: true }).selectOption('pi4-2gb');
	await expect(device.getByTestId('ledger-measured')).toHaveCount(0);
	await expect(device.getByTestId('ledger-measured-hint')).toContainText('grew by');
});

for (const [label, width] of [
	['desktop', 1280],
	['narrow', 390]
] as const) {
	test(`screenshots of the memory cells at ${label} width`, async ({ page }) => {
		await page.setViewportSize({ width, height: 900 });
		await openModel(page, MODEL);
		await page.locator('#arena').getByLabel('Planner', { exact: true }).selectOption('heap-best-fit');
		await setCeiling(page, '512 KB');
		await page.getByRole('complementary', { name: 'Figures' }).getByRole('button', { name: 'Pin as baseline' }).click();
		await setCeiling(page, '4 MB');
		for (const id of ['arena', 'order', 'device']) await page.locator(`#${id}`).screenshot({ path: `test-results/memory-${id}-${label}.png` });
		await page.getByRole('complementary', { name: 'Figures' }).screenshot({ path: `test-results/memory-figures-${label}.png` });
		await page.screenshot({ path: `test-results/memory-page-${label}.png` });
	});
}
