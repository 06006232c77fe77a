import { expect, test } from '@playwright/test';
import { unknownOpModel } from './fixtures';

test('an unknown address shows the error page with a way back, not a blank page', async ({ page }) => {
	const response = await page.goto('/no/such/page');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('alert')).toContainText('This page does not exist');
	await page.getByRole('link', { name: 'Back to the notebook' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Tightfit' })).toBeVisible();
	await expect(page.getByTestId('model-name')).toBeVisible({ timeout: 60_000 });
});

test('a broken zoo manifest leaves a notice, and your own file still opens', async ({ page }) => {
	await page.route('**/models/manifest.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"schemaVersion": 99' }));
	await page.goto('/');
	await expect(page.getByText('The model zoo could not be loaded')).toBeVisible();
	await page.getByLabel('Open an .onnx file…').setInputFiles({ name: 'mine.onnx', mimeType: 'application/octet-stream', buffer: unknownOpModel() });
	await expect(page.getByTestId('model-name')).toHaveText('mine.onnx');
	await expect(page.getByTestId('nodes')).toHaveAttribute('data-value', '3');
});
