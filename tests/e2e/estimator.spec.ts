/**
 * The estimator's error per zoo model in this Chromium (docs/memory.md): for every zoo model, the median latency
 * measured in onnxruntime-web next to the "This browser" roofline estimate, uncalibrated and calibrated by the
 * MatMul microbenchmark, and the WASM heap the ledger measured next to its modelled total. Several minutes on
 * 2 cores, so it is gated:
 *   TIGHTFIT_ESTIMATOR=1 npx playwright test tests/e2e/estimator.spec.ts
 * It prints two Markdown tables and writes them to test-results/estimator.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { zooEntry } from './fixtures';

const MODELS = ['ppocr-v4-det', 'ppocr-mobile-v2-cls', 'ppocr-v4-rec', 'oww-melspectrogram', 'oww-embedding', 'oww-hey-jarvis', 'silero-vad-v5'];

test('estimate vs measured latency for every zoo model', async ({ page }) => {
	test.skip(!process.env.TIGHTFIT_ESTIMATOR, 'set TIGHTFIT_ESTIMATOR=1 to measure (several minutes)');
	test.setTimeout(1_200_000);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toBeVisible({ timeout: 60_000 });
	const rows: string[] = [];
	const heapRows: string[] = [];
	let bench = '';
	for (const id of MODELS) {
		await page.getByRole('radio', { name: zooEntry(id).name }).check();
		await expect(page.getByTestId('model-name')).toHaveText(zooEntry(id).name, { timeout: 120_000 });
		const button = page.locator('#device-title button');
		if ((await button.getAttribute('aria-expanded')) === 'false') await button.click();
		const device = page.locator('#device');
		await device.getByLabel('Device', { exact: true }).selectOption('browser');
		await page.getByRole('button', { name: 'Run in this browser' }).click();
		await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 600_000 });
		const microbench = device.getByTestId('check-microbench');
		await expect(microbench).toBeVisible({ timeout: 120_000 });
		const num = async (testId: string, attr: string) => Number(await device.getByTestId(testId).getAttribute(attr));
		const measured = await num('check-measured', 'data-value');
		const [uncal, uncalErr, cal, calErr] = [await num('check-uncalibrated', 'data-value'), await num('check-uncalibrated', 'data-error'), await num('check-microbench', 'data-value'), await num('check-microbench', 'data-error')];
		const backend = (await page.getByTestId('backend').textContent())?.trim() ?? '';
		bench ||= `${((await num('check-microbench', 'data-rate')) / 1e9).toPrecision(3)} GMAC/s; ${backend}`;
		const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
		rows.push(`| ${id} | ${measured.toFixed(2)} | ${uncal.toFixed(2)} (${pct(uncalErr)}) | ${cal.toFixed(2)} (${pct(calErr)}) |`);
		const heap = async (term: string) => Number(await device.locator(`[data-testid="ledger-measured"][data-term="${term}"]`).getAttribute('data-bytes'));
		const mib = (b: number) => (b / 2 ** 20).toFixed(1);
		const [session, run, modelled] = [await heap('heap-session'), await heap('heap-run'), await num('ledger-total', 'data-bytes')];
		heapRows.push(`| ${id} | ${mib(session)} | ${mib(run)} | ${mib(session + run)} | ${mib(modelled)} |`);
		expect(measured).toBeGreaterThan(0);
	}
	const table = [
		`Microbenchmark: ${bench}`,
		'',
		'| model | measured median, ms | estimate uncalibrated, ms (error) | estimate calibrated by the microbenchmark, ms (error) |',
		'|---|---:|---:|---:|',
		...rows,
		'',
		'| model | WASM heap growth creating the session, MiB | growth running, MiB | measured total, MiB | modelled ledger total, MiB |',
		'|---|---:|---:|---:|---:|',
		...heapRows
	].join('\n');
	console.log(`\n${table}\n`);
	mkdirSync('test-results', { recursive: true });
	writeFileSync('test-results/estimator.md', `${table}\n`);
});
