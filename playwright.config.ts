import { defineConfig } from '@playwright/test';

/** A port of its own lets several checkouts run their end-to-end tests at once. */
const port = Number(process.env.E2E_PORT ?? 4173);

/** End-to-end tests run against the built, previewed site in Debian's Chromium (Playwright downloads no browser here). */
export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 120_000,
	retries: 0,
	workers: 1,
	reporter: [['list']],
	outputDir: 'test-results',
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] },
		headless: true
	},
	webServer: {
		command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
		url: `http://127.0.0.1:${port}`,
		reuseExistingServer: !process.env.CI,
		timeout: 60_000
	}
});
