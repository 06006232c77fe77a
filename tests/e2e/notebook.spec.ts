import { expect, test, type Page } from '@playwright/test';
import { expectedZooSummary, keyFigures, zooEntry } from './fixtures';

const DEFAULT_MODEL = 'ppocr-mobile-v2-cls';

async function expectSummary(page: Page, id: string) {
	const entry = zooEntry(id);
	await expect(page.getByTestId('model-name')).toHaveText(entry.name, { timeout: 60_000 });
	const expected = keyFigures(await expectedZooSummary(id));
	for (const [testId, value] of Object.entries(expected)) {
		await expect(page.getByTestId(testId), testId).toHaveAttribute('data-value', String(value));
	}
	expect(expected.params).toBeGreaterThan(0);
	expect(expected.macs).toBeGreaterThan(0);
	expect(expected['peak-live']).toBeGreaterThanOrEqual(expected['largest-activation']);
}

/** The model cell's own region: other cells have run controls and 'measured' labels too. */
const loadedModel = (page: Page) => page.getByRole('region', { name: 'Loaded model' });

test('opens on the default zoo model with the summary analyze() gives', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: 'Tightfit' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: 'The model and its budget' })).toBeVisible();
	await expectSummary(page, DEFAULT_MODEL);
	await expect(page.getByRole('radio', { name: zooEntry(DEFAULT_MODEL).name })).toBeChecked();
	// Every figure carries a unit or is a plain count.
	await expect(page.getByTestId('weight-bytes')).toHaveText(/\d (B|KiB|MiB|GiB)$/);
	await expect(page.getByTestId('macs')).toHaveText(/MACs$/);
	await expect(page.getByRole('table', { name: 'Operators by type' })).toContainText('Conv');
});

test('picking another zoo model replaces the summary, and dims re-analyse it', async ({ page }) => {
	await page.goto('/');
	await expectSummary(page, DEFAULT_MODEL);
	await page.getByRole('radio', { name: zooEntry('oww-hey-jarvis').name }).check();
	await expectSummary(page, 'oww-hey-jarvis');
	await page.getByRole('radio', { name: zooEntry('silero-vad-v5').name }).check();
	await expectSummary(page, 'silero-vad-v5');
	await page.getByRole('radio', { name: zooEntry('ppocr-v4-det').name }).check();
	await expectSummary(page, 'ppocr-v4-det');

	const before = Number(await page.getByTestId('peak-live').getAttribute('data-value'));
	await page.getByLabel('p2o.DynamicDimension.1').fill('320');
	await page.getByLabel('p2o.DynamicDimension.1').press('Enter');
	await expect(page.getByTestId('peak-live')).not.toHaveAttribute('data-value', String(before));
	const after = Number(await page.getByTestId('peak-live').getAttribute('data-value'));
	expect(after).toBeLessThan(before);
});

test('runs the model in this browser: threaded WASM when isolated, with a latency figure', async ({ page }) => {
	await page.goto('/');
	await expectSummary(page, DEFAULT_MODEL);
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

	await page.getByRole('button', { name: 'Run in this browser' }).click();
	const latency = page.getByTestId('latency-median');
	await expect(latency).toBeVisible({ timeout: 90_000 });
	await expect(latency).toHaveText(/\d+(\.\d+)? (µs|ms|s)/);
	expect(Number(await latency.getAttribute('data-value'))).toBeGreaterThan(0);
	await expect(loadedModel(page).getByText('measured in this browser')).toBeVisible();

	const backend = page.getByTestId('backend');
	await expect(backend).toHaveAttribute('data-ep', /^(wasm|webgpu)$/);
	if ((await backend.getAttribute('data-ep')) === 'wasm') {
		const cores = await page.evaluate(() => navigator.hardwareConcurrency);
		await expect(backend).toHaveAttribute('data-threads', String(Math.min(4, cores)));
		await expect(backend).toContainText('WASM SIMD');
	}
	await expect(page.getByTestId('capabilities')).toHaveAttribute('data-isolated', 'true');
	const outputs = page.getByRole('table', { name: 'Outputs of the last run' });
	await expect(outputs).toContainText(zooEntry(DEFAULT_MODEL).outputs[0].name);
	await expect(outputs).toContainText('1 × 2');

	await page.screenshot({ path: 'test-results/notebook-after-run.png', fullPage: true });
});

test('the cell collapses and the contents link opens it again', async ({ page }) => {
	await page.goto('/');
	await expectSummary(page, DEFAULT_MODEL);
	const toggle = page.getByRole('button', { name: 'The model and its budget' });
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await expect(page.getByTestId('params')).toHaveCount(0);
	await page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: 'The model and its budget' }).click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	// The model survived the collapse: no re-analysis needed.
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry(DEFAULT_MODEL).name);
});

test('narrow screen layout', async ({ page }) => {
	await page.setViewportSize({ width: 420, height: 900 });
	await page.goto('/');
	await expectSummary(page, DEFAULT_MODEL);
	await page.screenshot({ path: 'test-results/notebook-narrow.png', fullPage: true });
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow).toBeLessThanOrEqual(0);
});

test('every zoo model runs in this browser on its representative input', async ({ page }) => {
	test.setTimeout(300_000);
	await page.goto('/');
	await expectSummary(page, DEFAULT_MODEL);
	await loadedModel(page).getByLabel('Timed runs').fill('2');
	await loadedModel(page).getByLabel('Timed runs').press('Enter');
	const ids = await page.getByRole('group', { name: 'Built-in models' }).getByRole('radio').evaluateAll((radios) => radios.map((r) => (r as HTMLInputElement).value));
	expect(ids.length).toBeGreaterThanOrEqual(7);
	for (const id of ids) {
		await page.getByRole('radio', { name: zooEntry(id).name }).check();
		await expect(page.getByTestId('model-name')).toHaveText(zooEntry(id).name, { timeout: 60_000 });
		await page.getByRole('button', { name: 'Run in this browser' }).click();
		await expect(page.getByTestId('latency-median'), id).toBeVisible({ timeout: 120_000 });
		await expect(loadedModel(page).getByText('median of 2 runs')).toBeVisible();
		const outputs = page.getByRole('table', { name: 'Outputs of the last run' });
		for (const o of zooEntry(id).outputs) await expect(outputs, id).toContainText(o.name);
	}
});

test('a run can be cancelled; the next run starts a fresh worker and completes', async ({ page }) => {
	await page.goto('/');
	await expectSummary(page, DEFAULT_MODEL);
	await page.getByRole('radio', { name: zooEntry('ppocr-v4-det').name }).check();
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry('ppocr-v4-det').name, { timeout: 60_000 });
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByRole('status').filter({ hasText: /loading runtime|preparing input|creating session|warm-up|run \d/ })).toBeVisible();
	await page.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByRole('button', { name: 'Run in this browser' })).toBeEnabled();
	await expect(page.getByTestId('latency-median')).toHaveCount(0);

	await loadedModel(page).getByLabel('Timed runs').fill('1');
	await loadedModel(page).getByLabel('Timed runs').press('Enter');
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 120_000 });
	await expect(page.getByText('median of 1 run ·')).toBeVisible();
});
