import { expect, test, type Page } from '@playwright/test';
import { PNG_BYTES, UNKNOWN_OP, unknownOpModel, zooBytes, zooEntry } from './fixtures';

const DEFAULT_MODEL = 'ppocr-mobile-v2-cls';

async function openDefault(page: Page) {
	await page.goto('/');
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry(DEFAULT_MODEL).name, { timeout: 60_000 });
	return page.getByTestId('params').getAttribute('data-value');
}

async function upload(page: Page, name: string, buffer: Buffer) {
	await page.getByLabel('Open an .onnx file…').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
}

/** The previous model and its figures are exactly as they were. */
async function expectStillLoaded(page: Page, params: string | null) {
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry(DEFAULT_MODEL).name);
	await expect(page.getByTestId('params')).toHaveAttribute('data-value', params!);
	await expect(page.getByRole('alert')).toContainText(`${zooEntry(DEFAULT_MODEL).name} is still loaded`);
}

const cases = [
	{ what: 'a zero-byte file', name: 'empty.onnx', bytes: () => Buffer.alloc(0), says: /is empty/ },
	{
		what: 'a truncated file',
		name: 'cut.onnx',
		bytes: () => zooBytes(DEFAULT_MODEL).subarray(0, Math.floor(zooBytes(DEFAULT_MODEL).length / 2)),
		says: /cut short|truncated|ends/i
	},
	{ what: 'a PNG renamed .onnx', name: 'photo.onnx', bytes: () => PNG_BYTES, says: /PNG/ }
];

for (const c of cases) {
	test(`${c.what} gives a specific message and keeps the previous model`, async ({ page }) => {
		const params = await openDefault(page);
		await upload(page, c.name, c.bytes());
		const alert = page.getByRole('alert');
		await expect(alert).toBeVisible();
		await expect(alert).toContainText(c.name);
		await expect(alert).toContainText(c.says);
		await expectStillLoaded(page, params);
		await alert.screenshot({ path: `test-results/bad-input-${c.name.replace('.onnx', '')}.png` });
		// The page still works: another zoo model opens.
		await page.getByRole('radio', { name: zooEntry('oww-hey-jarvis').name }).check();
		await expect(page.getByTestId('model-name')).toHaveText(zooEntry('oww-hey-jarvis').name);
		await expect(page.getByRole('alert')).toHaveCount(0);
	});
}

test('a file over the size limit is refused before it is read', async ({ page }) => {
	const params = await openDefault(page);
	// A real 2 GiB file cannot be made here: drop a File whose size says 2 GiB instead.
	await page.getByRole('group', { name: 'Drop an .onnx file here' }).evaluate((zone) => {
		const file = new File([new Uint8Array(16)], 'huge.onnx');
		Object.defineProperty(file, 'size', { value: 2 * 2 ** 30 });
		Object.defineProperty(file, 'arrayBuffer', { value: () => Promise.reject(new Error('must not be read')) });
		const drop = new Event('drop', { bubbles: true, cancelable: true });
		Object.defineProperty(drop, 'dataTransfer', { value: { files: [file] } });
		zone.dispatchEvent(drop);
	});
	const alert = page.getByRole('alert');
	await expect(alert).toContainText('huge.onnx');
	await expect(alert).toContainText('2.00 GiB');
	await expect(alert).toContainText('not read');
	await expectStillLoaded(page, params);
});

test('an unknown operator is named, and the rest of the graph is still analysed', async ({ page }) => {
	await openDefault(page);
	await upload(page, 'mystery.onnx', unknownOpModel());
	await expect(page.getByTestId('model-name')).toHaveText('mystery.onnx');
	const unsupported = page.getByRole('status', { name: 'Unsupported operators' });
	await expect(unsupported).toContainText('Analysed what could be analysed');
	await expect(unsupported).toContainText(UNKNOWN_OP);
	// The Relu before the unknown op still counts: 1×8×16×16 float32 in and out.
	expect(Number(await page.getByTestId('peak-live').getAttribute('data-value'))).toBeGreaterThanOrEqual(2 * 8 * 16 * 16 * 4);
	await expect(page.getByTestId('nodes')).toHaveAttribute('data-value', '3');

	// onnxruntime-web cannot run it either: the run fails with a message, the summary stays.
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByRole('alert')).toContainText('The run failed', { timeout: 60_000 });
	await expect(page.getByRole('alert')).toContainText(UNKNOWN_OP);
	await expect(page.getByTestId('model-name')).toHaveText('mystery.onnx');
	await expect(page.getByRole('button', { name: 'Run in this browser' })).toBeEnabled();
});

test('a bad dim value is refused with a notice, the summary unchanged', async ({ page }) => {
	const params = await openDefault(page);
	const peak = await page.getByTestId('peak-live').getAttribute('data-value');
	const dim = page.getByLabel('p2o.DynamicDimension.2');
	await dim.fill('0');
	await dim.press('Enter');
	await expect(page.getByRole('alert')).toContainText('whole number');
	await expect(page.getByTestId('peak-live')).toHaveAttribute('data-value', peak!);
	await expect(page.getByTestId('params')).toHaveAttribute('data-value', params!);
});
