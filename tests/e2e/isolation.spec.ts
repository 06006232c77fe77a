import { expect, test } from '@playwright/test';
import { zooEntry } from './fixtures';

/**
 * The preview serves COOP/COEP, so the page is cross-origin isolated and ORT may use threads. Here
 * the document is served without those headers: the page, and so its workers, are not isolated,
 * and the run must fall back to one WASM thread and still work.
 */
test('without cross-origin isolation the run falls back to one thread and still works', async ({ page }) => {
	await page.route(
		(url) => url.pathname === '/' || url.pathname === '/index.html',
		async (route) => {
			const response = await route.fetch();
			const headers = { ...response.headers() };
			delete headers['cross-origin-opener-policy'];
			delete headers['cross-origin-embedder-policy'];
			await route.fulfill({ response, headers });
		}
	);
	await page.goto('/');
	expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
	expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('undefined');
	await expect(page.getByTestId('model-name')).toHaveText(zooEntry('ppocr-mobile-v2-cls').name, { timeout: 60_000 });
	await expect(page.getByText('not isolated').first()).toBeVisible();

	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 90_000 });
	const backend = page.getByTestId('backend');
	await expect(backend).toHaveAttribute('data-ep', 'wasm');
	await expect(backend).toHaveAttribute('data-threads', '1');
	await expect(backend).toContainText('1 thread');
	await expect(backend).toContainText('not cross-origin isolated');
	await expect(page.getByTestId('capabilities')).toHaveAttribute('data-isolated', 'false');
	await page.screenshot({ path: 'test-results/notebook-not-isolated.png', fullPage: true });
});
