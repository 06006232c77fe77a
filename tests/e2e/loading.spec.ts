/**
 * The loading cells: a zoo pipeline workload, switching policies changes the timeline and the highlighted
 * row of the comparison table; measured mode really runs bulk/linear/interleaved on the orientation classifier.
 */
import { expect, test, type Page } from '@playwright/test';

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
	await w.getByLabel('Device').selectOption('pi3');
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

test('measured mode: bulk, linear and interleaved really run the orientation classifier', async ({ page }) => {
	test.setTimeout(240_000);
	await page.goto('/');
	const cell = policiesCell(page);
	await expect(cell.getByTestId('policy-table')).toBeVisible({ timeout: 60_000 });
	await cell.getByRole('button', { name: 'Measure bulk / linear / interleaved' }).click();
	const table = cell.getByTestId('measured-table');
	for (const policy of ['bulk', 'linear', 'interleaved']) {
		await expect(table.getByTestId(`measured-${policy}`)).toHaveText(/\d.*(ms|µs|s)$/, { timeout: 200_000 });
	}
	await expect(cell).toContainText('Measured in this browser');
	await expect(cell).toContainText('onnxruntime-web');
	await page.setViewportSize({ width: 1280, height: 900 });
	await cell.locator('section.measured').screenshot({ path: 'test-results/loading-measured-1280.png' });
});
