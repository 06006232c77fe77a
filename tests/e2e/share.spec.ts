/**
 * Scenario URLs end to end: a copied link reproduces the figures in a fresh browser, back/forward walk
 * through changes, damaged and hostile links give a notice (never a dialog or injected markup), uploads
 * survive a reload (IndexedDB), and a link naming an upload asks for the file and checks its hash.
 */
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { hashOfJson } from '../../src/lib/core/scenario/arbitraries';
import { fromBase64Url } from '../../src/lib/core/scenario/base64url';
import { decodeScenario, defaultScenario, encodeScenario } from '../../src/lib/core/scenario/index';
import { zooBytes, zooEntry } from './fixtures';

const DEFAULT_MODEL = 'ppocr-mobile-v2-cls';
const DET = 'ppocr-v4-det';

const modelName = (page: Page) => page.getByTestId('model-name');

async function waitForModel(page: Page, name: string) {
	await expect(modelName(page)).toHaveText(name, { timeout: 60_000 });
	await expect(page.getByTestId('params')).toHaveAttribute('data-value', /^\d+$/);
}

/** Every figure the summary shows, by test id (the numbers the charts are drawn from). */
async function figures(page: Page): Promise<Record<string, string>> {
	return page
		.getByRole('region', { name: 'Loaded model' })
		.locator('[data-value]')
		.evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-testid') ?? e.id, e.getAttribute('data-value') ?? ''])));
}

async function setDim(page: Page, name: string, value: string) {
	const before = await page.getByTestId('peak-live').getAttribute('data-value');
	await page.getByLabel(name).fill(value);
	await page.getByLabel(name).press('Enter');
	await expect(page.getByTestId('peak-live')).not.toHaveAttribute('data-value', before ?? '');
}

/**
 * The page's URL once the debounced sync has written the scenario: the share field (also debounced) has caught
 * up with the latest change and the URL matches it.
 */
async function settledUrl(page: Page): Promise<string> {
	await expect(page.getByTestId('share-link')).toHaveAttribute('data-pending', 'false', { timeout: 30_000 });
	await expect
		.poll(async () => {
			const [href, shared] = await Promise.all([page.evaluate(() => location.href), page.locator('#share-link-url').inputValue()]);
			return href === shared && /#s=\d+\./.test(href) ? href : null;
		})
		.not.toBeNull();
	return page.url();
}

function noDialogs(page: Page): string[] {
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	return dialogs;
}

test('a copied link reproduces the same figures in a fresh browser', async ({ page, browser }) => {
	await page.goto('/');
	await waitForModel(page, zooEntry(DEFAULT_MODEL).name);
	await page.getByRole('radio', { name: zooEntry(DET).name }).check();
	await waitForModel(page, zooEntry(DET).name);
	await setDim(page, 'p2o.DynamicDimension.1', '320');
	await setDim(page, 'p2o.DynamicDimension.2', '480');
	const url = await settledUrl(page);
	const expected = await figures(page);
	expect(Object.keys(expected).length).toBeGreaterThan(4);

	const fresh = await browser.newContext();
	try {
		const other = await fresh.newPage();
		const dialogs = noDialogs(other);
		await other.goto(url);
		await waitForModel(other, zooEntry(DET).name);
		await expect(other.getByLabel('p2o.DynamicDimension.1')).toHaveValue('320');
		await expect(other.getByLabel('p2o.DynamicDimension.2')).toHaveValue('480');
		await expect.poll(() => figures(other)).toEqual(expected);
		await expect(other.getByRole('radio', { name: zooEntry(DET).name })).toBeChecked();
		await expect(other.getByTestId('scenario-notices')).toHaveCount(0);
		expect(dialogs).toEqual([]);
	} finally {
		await fresh.close();
	}
});

test('back and forward walk through the changes', async ({ page }) => {
	await page.goto('/');
	await waitForModel(page, zooEntry(DEFAULT_MODEL).name);
	await settledUrl(page);
	await page.getByRole('radio', { name: zooEntry('oww-hey-jarvis').name }).check();
	await waitForModel(page, zooEntry('oww-hey-jarvis').name);
	await settledUrl(page);
	await page.getByRole('radio', { name: zooEntry(DET).name }).check();
	await waitForModel(page, zooEntry(DET).name);
	await settledUrl(page);
	await setDim(page, 'p2o.DynamicDimension.1', '320');
	const withDim = await settledUrl(page);

	await page.goBack();
	await expect(page.getByLabel('p2o.DynamicDimension.1')).toHaveValue('640', { timeout: 60_000 });
	await page.goBack();
	await waitForModel(page, zooEntry('oww-hey-jarvis').name);
	await page.goBack();
	await waitForModel(page, zooEntry(DEFAULT_MODEL).name);
	await page.goForward();
	await waitForModel(page, zooEntry('oww-hey-jarvis').name);
	await page.goForward();
	await page.goForward();
	await waitForModel(page, zooEntry(DET).name);
	await expect(page.getByLabel('p2o.DynamicDimension.1')).toHaveValue('320', { timeout: 60_000 });
	expect(page.url()).toBe(withDim);
});

/** A valid link whose upload name is replaced, in the payload itself, by hostile markup. */
async function hostileLink(): Promise<string> {
	const s = defaultScenario();
	s.model = { kind: 'upload', name: 'PLACEHOLDER.onnx', sha256: 'a'.repeat(64) };
	s.planner = 'PLACEHOLDER-PLANNER';
	const hash = await encodeScenario(s);
	const json = inflateRawSync(fromBase64Url(hash.replace(/^#s=\d+\./, ''))!).toString('utf8');
	const evil = '<img src=x onerror=alert(1)>';
	return hashOfJson(json.replace('PLACEHOLDER.onnx', evil).replace('PLACEHOLDER-PLANNER', evil));
}

test('damaged, newer and hostile links give a notice, never a dialog or injected markup', async ({ page }) => {
	const dialogs = noDialogs(page);
	const links: Array<[string, RegExp]> = [
		['#s=1.garbage', /looks damaged/],
		['#s=99.q64FAA', /newer version of Tightfit/],
		[await hostileLink(), /"model".*not valid|"planner".*not valid/]
	];
	for (const [hash, notice] of links) {
		// A fresh load each time (a hash-only goto would be a same-document navigation).
		await page.goto('about:blank');
		await page.goto(`/${hash}`);
		await expect(page.getByTestId('scenario-notices')).toContainText(notice, { timeout: 30_000 });
		await waitForModel(page, zooEntry(DEFAULT_MODEL).name);
		await expect(page.locator('img[src="x"]')).toHaveCount(0);
		await expect(page.getByTestId('upload-prompt')).toHaveCount(0);
		expect(await page.content()).not.toContain('onerror=alert');
		// The page still works.
		await page.getByRole('radio', { name: zooEntry('oww-hey-jarvis').name }).check();
		await waitForModel(page, zooEntry('oww-hey-jarvis').name);
	}
	expect(dialogs).toEqual([]);
});

const UPLOAD_NAME = 'my-jarvis.onnx';
const uploadBytes = () => zooBytes('oww-hey-jarvis');
const uploadSha = () => createHash('sha256').update(uploadBytes()).digest('hex');

test('an uploaded model survives a reload (IndexedDB)', async ({ page }) => {
	await page.goto('/');
	await waitForModel(page, zooEntry(DEFAULT_MODEL).name);
	await page
		.locator('input[type=file]')
		.first()
		.setInputFiles({ name: UPLOAD_NAME, mimeType: 'application/octet-stream', buffer: uploadBytes() });
	await waitForModel(page, UPLOAD_NAME);
	// The name shows before the link is rewritten (hashing and the debounced URL write come after the load).
	await expect.poll(async () => (await decodeScenario(new URL(await settledUrl(page)).hash)).scenario.model.kind).toBe('upload');
	const url = page.url();
	const expected = await figures(page);
	await page.waitForTimeout(1000); // the scenario save is debounced

	await page.reload();
	await waitForModel(page, UPLOAD_NAME);
	await expect.poll(() => figures(page)).toEqual(expected);
	await expect(page.getByTestId('upload-prompt')).toHaveCount(0);

	// Without a link, the page restores the last scenario (and the model from the store).
	await page.goto('/');
	await waitForModel(page, UPLOAD_NAME);
	expect(page.url()).toBe(url);
});

test('a link naming an upload asks for the file and checks its hash', async ({ browser }) => {
	const s = defaultScenario();
	s.model = { kind: 'upload', name: UPLOAD_NAME, sha256: uploadSha() };
	const hash = await encodeScenario(s);
	const fresh = await browser.newContext();
	try {
		const page = await fresh.newPage();
		await page.goto(`/${hash}`);
		const prompt = page.getByTestId('upload-prompt');
		await expect(prompt).toContainText(`This link uses your own model ${UPLOAD_NAME} (sha256 ${uploadSha().slice(0, 12)}`, { timeout: 30_000 });
		await expect(prompt).toContainText('drop that file here to continue');

		// The wrong file is refused.
		await prompt
			.locator('input[type=file]')
			.setInputFiles({ name: UPLOAD_NAME, mimeType: 'application/octet-stream', buffer: zooBytes('silero-vad-v5') });
		await expect(page.getByRole('alert').filter({ hasText: 'is not the model this link uses' })).toBeVisible();
		await expect(prompt).toBeVisible();

		// The right one (under any name) opens under the link's name.
		await prompt
			.locator('input[type=file]')
			.setInputFiles({ name: 'renamed.onnx', mimeType: 'application/octet-stream', buffer: uploadBytes() });
		await waitForModel(page, UPLOAD_NAME);
		await expect(prompt).toHaveCount(0);
	} finally {
		await fresh.close();
	}
});

test('a lesson link hides controls until "Show all controls"', async ({ page }) => {
	await page.goto('/');
	await waitForModel(page, zooEntry(DEFAULT_MODEL).name);
	await page.getByTestId('lessons').getByRole('link', { name: 'Interleaved loading' }).click();
	await waitForModel(page, zooEntry('ppocr-v4-rec').name);
	await expect(page.getByRole('group', { name: 'Drop an .onnx file here' })).toHaveCount(0);
	await expect(page.getByRole('radio', { name: zooEntry(DEFAULT_MODEL).name })).toHaveCount(0);
	await page.getByRole('button', { name: 'Show all controls' }).click();
	await expect(page.getByRole('radio', { name: zooEntry(DEFAULT_MODEL).name })).toBeVisible();
});
