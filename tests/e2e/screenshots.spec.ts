/**
 * Screenshots of every notebook cell at a desktop and a narrow width, kept as test artifacts in
 * test-results/cells/<cell-id>-<width>.png (and the first screen as first-screen-<width>.png, the whole page as page-<width>.png), for looking at the
 * layout by eye. Each cell is scrolled into view and given time to settle (its text stops changing and
 * nothing in it is busy) before it is captured.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';

const DIR = 'test-results/cells';
const WIDTHS = [
	{ width: 1280, height: 900 },
	{ width: 390, height: 844 }
];

/** Waits until the cell's text is the same on three polls in a row and nothing in it is `aria-busy`. */
async function settle(cell: Locator, timeoutMs = 45_000) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	let same = 0;
	while (Date.now() < deadline && same < 3) {
		await cell.page().waitForTimeout(400);
		const text = await cell.innerText();
		const busy = await cell.locator('[aria-busy="true"]').count();
		same = text === last && busy === 0 ? same + 1 : 0;
		last = text;
	}
}

async function cellIds(page: Page): Promise<string[]> {
	const hrefs = await page.getByRole('navigation', { name: 'Contents' }).getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
	return hrefs.map((h) => h.replace(/^#/, ''));
}

for (const size of WIDTHS) {
	test(`every cell at ${size.width} px`, async ({ page }) => {
		test.setTimeout(600_000);
		mkdirSync(DIR, { recursive: true });
		await page.setViewportSize(size);
		await page.goto('/');
		await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
		await page.screenshot({ path: `${DIR}/first-screen-${size.width}.png` });
		const ids = await cellIds(page);
		expect(ids.length).toBeGreaterThan(0);
		for (const id of ids) {
			const cell = page.locator(`section#${id}`);
			await expect(cell.getByRole('button', { expanded: true }).first(), id).toBeVisible();
			await cell.scrollIntoViewIfNeeded();
			await settle(cell);
			await cell.screenshot({ path: `${DIR}/${id}-${size.width}.png`, animations: 'disabled' });
		}
		await page.screenshot({ path: `${DIR}/page-${size.width}.png`, fullPage: true });
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect.soft(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
	});
}
