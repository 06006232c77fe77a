/**
 * The loading cells: a zoo pipeline workload, switching policies changes the timeline and the highlighted
 * row of the comparison table; several devices get lanes and memory curves each; an uploaded model joins a
 * workload, and a link naming an upload this browser lacks says so and simulates the rest; measured mode
 * really runs bulk/linear/interleaved on the orientation classifier.
 */
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { decodeScenario, defaultScenario, encodeScenario } from '../../src/lib/core/scenario/index';
import { zooBytes } from './fixtures';

const policiesCell = (page: Page) => page.locator('section#loading');
const workloadCell = (page: Page) => page.locator('section#workloads');

/** Uncaught page errors fail the test; console errors and warnings are logged to help debugging. */
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
	pageErrors = [];
	page.on('pageerror', (err) => {
		console.log(`[pageerror] ${err.stack ?? err.message}`);
		pageErrors.push(err.message);
	});
	page.on('console', (msg) => {
		if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[browser ${msg.type()}] ${msg.text()}`);
	});
});
test.afterEach(() => {
	expect(pageErrors, 'uncaught errors on the page').toEqual([]);
});

async function openOcrPipeline(page: Page) {
	await page.goto('/');
	await expect(policiesCell(page).getByTestId('policy-table')).toBeVisible({ timeout: 60_000 });
	const w = workloadCell(page);
	await w.getByLabel('Device', { exact: true }).selectOption('pi3');
	await w.getByLabel('Ceiling (MiB)').fill('40');
	await w.getByLabel('Ceiling (MiB)').press('Enter');
	await w.getByLabel('Workload kind').selectOption('pipeline');
	await w.getByLabel('Requests').fill('20');
	await w.getByLabel('Requests').press('Enter');
	await w.getByLabel('Scheduler').selectOption('edf');
	await expect(w.getByTestId('workload-summary')).toContainText('20 tasks', { timeout: 90_000 });
	await expect(policiesCell(page).getByTestId('loading-timeline')).toContainText('Raspberry Pi 3');
}

test('OCR pipeline: switching policies changes the timeline and the highlighted row', async ({ page }) => {
	test.setTimeout(180_000);
	await openOcrPipeline(page);
	const cell = policiesCell(page);
	const table = cell.getByTestId('policy-table');
	await expect(table.locator('tbody tr')).toHaveCount(4);
	await expect(table).toContainText('modelled for Raspberry Pi 3');

	await cell.getByRole('radio', { name: 'linear' }).check();
	await expect(table.locator('tr[aria-current="true"]')).toHaveAttribute('data-policy', 'linear');
	const linearMakespan = await table.getByTestId('current-makespan').textContent();
	const linearEnd = await cell.getByTestId('loading-timeline').getAttribute('data-end-ms');

	await cell.getByRole('radio', { name: 'interleaved' }).check();
	await expect(table.locator('tr[aria-current="true"]')).toHaveAttribute('data-policy', 'interleaved');
	await expect(table.getByTestId('current-makespan')).not.toHaveText(linearMakespan ?? '');
	await expect(cell.getByTestId('loading-timeline')).not.toHaveAttribute('data-end-ms', linearEnd ?? '');
	// Interleaved hides loads behind compute: never slower than linear.
	const end = Number(await cell.getByTestId('loading-timeline').getAttribute('data-end-ms'));
	expect(end).toBeLessThanOrEqual(Number(linearEnd));
	expect(Number(await cell.getByTestId('loading-timeline').getAttribute('data-bars'))).toBeGreaterThan(10);

	// Hovering a bar names model, layer, bytes and time.
	await cell.locator('rect.bar.load').first().hover();
	await expect(cell.getByRole('tooltip')).toContainText(/load · ppocr-v4-det · task .* · .*(KiB|MiB|B) · /);

	for (const width of [1280, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await page.mouse.move(0, 0);
		await cell.screenshot({ path: `test-results/loading-policies-${width}.png` });
		await workloadCell(page).screenshot({ path: `test-results/loading-workloads-${width}.png` });
	}
});

test('several devices: a storage and a compute lane and a memory curve per device, and a shorter batch', async ({ page }) => {
	test.setTimeout(180_000);
	await page.goto('/');
	const cell = policiesCell(page);
	await expect(cell.getByTestId('policy-table')).toBeVisible({ timeout: 60_000 });
	const w = workloadCell(page);
	await w.getByLabel('Workload kind').selectOption('batch');
	await w.getByLabel('Requests').fill('12');
	await w.getByLabel('Requests').press('Enter');
	await expect(w.getByTestId('workload-summary')).toContainText('12 tasks', { timeout: 90_000 });
	const timeline = cell.getByTestId('loading-timeline');
	await expect(timeline).toHaveAttribute('data-devices', '1');
	const oneEnd = Number(await timeline.getAttribute('data-end-ms'));

	await w.getByLabel('Devices', { exact: true }).fill('3');
	await w.getByLabel('Devices', { exact: true }).press('Enter');
	await expect(timeline).toHaveAttribute('data-devices', '3', { timeout: 60_000 });
	await expect(timeline.getByTestId('memory-curve')).toHaveCount(3);
	await expect(timeline.locator('text.lane-label', { hasText: /\/3 compute$/ })).toHaveCount(1);
	await expect(cell.getByTestId('policy-table')).toContainText('peak memory (highest device)');
	await expect(w.getByTestId('workload-summary')).toContainText('3 ×');
	expect(Number(await timeline.getAttribute('data-end-ms'))).toBeLessThan(oneEnd);
	// The device count is part of the scenario (and so of the link).
	await expect.poll(async () => (await decodeScenario(new URL(page.url()).hash)).scenario.workload.devices, { timeout: 10_000 }).toBe(3);
	await page.setViewportSize({ width: 1280, height: 900 });
	await timeline.scrollIntoViewIfNeeded();
	await page.mouse.move(0, 0);
	await timeline.screenshot({ path: 'test-results/loading-devices-1280.png', animations: 'disabled' });
});

const UPLOAD_NAME = 'my-jarvis.onnx';
const uploadId = () => `upload:${createHash('sha256').update(zooBytes('oww-hey-jarvis')).digest('hex').slice(0, 32)}`;

test('an uploaded model joins a workload and shows in the timeline', async ({ page }) => {
	test.setTimeout(180_000);
	// Start from the wake-word pipeline (5 passes), so only its three small models are analysed.
	const s = defaultScenario();
	Object.assign(s.workload, { kind: 'pipeline', models: ['oww-melspectrogram', 'oww-embedding', 'oww-hey-jarvis'], requests: 5 });
	await page.goto(`/${await encodeScenario(s)}`);
	const cell = policiesCell(page);
	const timeline = cell.getByTestId('loading-timeline');
	await expect(timeline.locator('[data-model="oww-embedding"]')).toHaveCount(1, { timeout: 90_000 });
	await page
		.locator('input[type=file]')
		.first()
		.setInputFiles({ name: UPLOAD_NAME, mimeType: 'application/octet-stream', buffer: zooBytes('oww-hey-jarvis') });
	await expect(page.getByTestId('model-name')).toHaveText(UPLOAD_NAME, { timeout: 60_000 });
	const w = workloadCell(page);
	const add = w.getByLabel('Add an uploaded model');
	await expect(add.locator(`option[value="${uploadId()}"]`)).toHaveCount(1, { timeout: 30_000 });
	await add.selectOption(uploadId());
	await expect(w.getByRole('list', { name: 'Models in the workload' })).toContainText(`${UPLOAD_NAME} (upload)`);
	await expect.poll(async () => (await decodeScenario(new URL(page.url()).hash)).scenario.workload.models, { timeout: 10_000 }).toContain(uploadId());
	// The pipeline's timeline: the three wake-word models and the upload, five passes.
	await expect(timeline.locator(`[data-model="${uploadId()}"]`)).toHaveText(`${UPLOAD_NAME} (upload)`, { timeout: 90_000 });
	await expect(timeline.locator('[data-model="oww-embedding"]')).toHaveCount(1);
	await expect(w.getByTestId('workload-summary')).toContainText('5 tasks');
	// Its layers run in the compute lane: a bar of its own names it.
	const titles = await timeline.locator('rect.bar.execute title').allTextContents();
	expect(titles.some((t) => t.includes(`execute · ${UPLOAD_NAME} (upload) · task pipeline#`))).toBe(true);
	// Removing it brings the zoo pipeline back alone.
	await w.getByRole('button', { name: `Remove ${UPLOAD_NAME} (upload)` }).click();
	await expect(timeline.locator(`[data-model="${uploadId()}"]`)).toHaveCount(0, { timeout: 60_000 });
	await expect(timeline.locator('[data-model="oww-embedding"]')).toHaveCount(1);
});

test('a link naming an upload this browser lacks names it and simulates the rest', async ({ browser }) => {
	test.setTimeout(180_000);
	const s = defaultScenario();
	const missing = `upload:${'e'.repeat(32)}`;
	Object.assign(s.workload, { kind: 'pipeline', models: ['ppocr-mobile-v2-cls', missing], requests: 2 });
	const fresh = await browser.newContext();
	try {
		const page = await fresh.newPage();
		await page.goto(`/${await encodeScenario(s)}`);
		const w = workloadCell(page);
		await expect(w.getByTestId('missing-uploads')).toContainText(`does not have: “${missing}”`, { timeout: 60_000 });
		await expect(w.getByTestId('missing-uploads')).toContainText('simulated without it: ppocr-mobile-v2-cls');
		await expect(w.getByTestId('workload-summary')).toContainText('2 tasks', { timeout: 90_000 });
		const timeline = policiesCell(page).getByTestId('loading-timeline');
		await expect(timeline.locator('[data-model="ppocr-mobile-v2-cls"]')).toHaveCount(1);
		expect(Number(await timeline.getAttribute('data-bars'))).toBeGreaterThan(0);
	} finally {
		await fresh.close();
	}
});

test('measured mode: bulk, linear and interleaved really run the orientation classifier behind emulated storage', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/');
	const cell = policiesCell(page);
	await expect(cell.getByTestId('policy-table')).toBeVisible({ timeout: 60_000 });
	// Slow device storage, emulated: reads overlap the runs, as they would from an SD card.
	await cell.getByLabel('Storage', { exact: true }).selectOption('20');
	await cell.getByRole('button', { name: 'Measure bulk / linear / interleaved' }).click();
	const table = cell.getByTestId('measured-table');
	for (const policy of ['bulk', 'linear', 'interleaved']) {
		await expect(table.getByTestId(`measured-${policy}`)).toHaveText(/\d.*(ms|µs|s)$/, { timeout: 200_000 });
	}
	await expect(cell).toContainText('Measured in this browser');
	await expect(cell).toContainText('onnxruntime-web');
	await expect(cell.locator('section.measured')).toContainText('emulated storage');
	await expect(cell.locator('section.measured')).toContainText('with the same 20 MB/s storage');
	await page.setViewportSize({ width: 1280, height: 900 });
	await cell.locator('section.measured').screenshot({ path: 'test-results/loading-measured-1280.png' });
});
