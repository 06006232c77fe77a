/**
 * The notebook's frame: open cells live in the scenario URL, the table of contents opens and scrolls to a
 * cell without touching the `#s=…` hash, and no runtime's WASM loads before the person runs something.
 */
import { expect, test, type Page } from '@playwright/test';
import { defaultScenario, encodeScenario } from '../../src/lib/core/scenario/index';

const contents = (page: Page) => page.getByRole('navigation', { name: 'Contents' });
const toggle = (page: Page, title: string) => page.getByRole('heading', { level: 2 }).getByRole('button', { name: title, exact: true });

async function loaded(page: Page) {
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=\d+\./);
}

test('a new visitor sees every cell open; closing one is a history entry', async ({ page }) => {
	await page.goto('/');
	await loaded(page);
	const titles = await contents(page).getByRole('link').allInnerTexts();
	expect(titles.length).toBeGreaterThan(1);
	for (const title of titles) await expect(toggle(page, title), title).toHaveAttribute('aria-expanded', 'true');

	const before = await page.evaluate(() => location.hash);
	await toggle(page, 'Operator order').click();
	await expect(toggle(page, 'Operator order')).toHaveAttribute('aria-expanded', 'false');
	await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before);
	await page.goBack();
	await expect(toggle(page, 'Operator order')).toHaveAttribute('aria-expanded', 'true');
	expect(await page.evaluate(() => location.hash)).toBe(before);
});

test('a link opens exactly its cells', async ({ page }) => {
	const s = defaultScenario();
	s.cells = ['model', 'device'];
	await page.goto('/' + (await encodeScenario(s)));
	await loaded(page);
	await expect(toggle(page, 'Device and ceiling')).toHaveAttribute('aria-expanded', 'true');
	await expect(toggle(page, 'Operator order')).toHaveAttribute('aria-expanded', 'false');
});

test('the contents open and scroll to a cell, focus it, and keep the scenario hash', async ({ page }) => {
	await page.setViewportSize({ width: 1280, height: 800 });
	const s = defaultScenario();
	s.cells = ['model'];
	s.seed = 7;
	const hash = await encodeScenario(s);
	await page.goto('/' + hash);
	await loaded(page);
	const link = contents(page).getByRole('link', { name: 'Device and ceiling' });
	await expect(link).toHaveAttribute('href', '#device');
	await link.click();
	const button = toggle(page, 'Device and ceiling');
	await expect(button).toHaveAttribute('aria-expanded', 'true');
	await expect(button).toBeFocused();
	await expect(button).toBeInViewport();
	// Opening the cell is a scenario change: the hash is rewritten as a scenario, never replaced by `#device`.
	await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(hash);
	expect(await page.evaluate(() => location.hash)).toMatch(/^#s=\d+\./);
	await page.reload();
	await loaded(page);
	await expect(toggle(page, 'Device and ceiling')).toHaveAttribute('aria-expanded', 'true');
	await expect(toggle(page, 'Operator order')).toHaveAttribute('aria-expanded', 'false');
	// Keyboard: Enter on a contents link does the same.
	await contents(page).getByRole('link', { name: 'Operator order' }).focus();
	await page.keyboard.press('Enter');
	await expect(toggle(page, 'Operator order')).toBeFocused();
	await expect(toggle(page, 'Operator order')).toHaveAttribute('aria-expanded', 'true');
});

test('no runtime WASM loads before the person clicks Run', async ({ page, context }) => {
	test.setTimeout(300_000);
	const runtimeFiles: string[] = [];
	context.on('request', (r) => {
		const url = r.url();
		if (/\.wasm(\?|$)|\/ort\/|\/tfjs\//.test(url)) runtimeFiles.push(url);
	});
	await page.goto('/');
	await loaded(page);
	// Visit every cell (some start work when shown) and give them time.
	for (const href of await contents(page).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
		await page.locator(`section${href}`).scrollIntoViewIfNeeded();
		await page.waitForTimeout(500);
	}
	await page.waitForTimeout(3000);
	expect(runtimeFiles, 'runtime files fetched before any Run').toEqual([]);

	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 120_000 });
	// The check can fail: running does fetch the runtime.
	expect(runtimeFiles.some((u) => /\.wasm(\?|$)/.test(u))).toBe(true);
});
