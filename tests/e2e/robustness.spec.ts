/**
 * Robustness and security in the built site: the Content-Security-Policy is there and nothing the
 * app does (load, analyse, run a model) violates it; markup in a model file or a scenario URL shows
 * as text, never as elements, and runs no script.
 */
import { expect, test, type Page } from '@playwright/test';
import { onnx } from '../../src/lib/core/formats/onnx/proto';
import { ELEM, protoGraph, protoNode, protoValueInfo } from '../../src/lib/testing/onnx-builders';

const XSS = '<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2</script>';

/** Records CSP violations and dialogs from the first script on. */
async function watch(page: Page) {
	await page.addInitScript(() => {
		const w = window as unknown as { __csp: string[] };
		w.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
	});
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	return {
		dialogs,
		violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
		injected: () => page.evaluate(() => ({ xss: (window as unknown as { __xss?: number }).__xss ?? null, imgs: document.querySelectorAll('img[src="x"]').length }))
	};
}

/** An ONNX model whose node, value and graph names, doc string and metadata are all markup. */
function markupModel(): Buffer {
	return Buffer.from(onnx.ModelProto.encode({
		irVersion: 8, producerName: XSS, docString: XSS, opsetImport: [{ domain: '', version: 17 }],
		metadataProps: [{ key: XSS, value: XSS }],
		graph: protoGraph({ name: XSS, node: [protoNode('Relu', ['x'], [XSS], [], XSS)], input: [protoValueInfo('x', ELEM.float, [1, 4])], output: [protoValueInfo(XSS, ELEM.float, [1, 4])] })
	}).finish());
}

test('the page carries a CSP meta tag and loads and runs a model without violating it', async ({ page }) => {
	const w = await watch(page);
	await page.goto('/');
	const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
	expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
	expect(csp).toContain("object-src 'none'");
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 120_000 });
	expect(await w.violations()).toEqual([]);
	expect(w.dialogs).toEqual([]);
});

test('markup in a model file shows as text and runs nothing', async ({ page }) => {
	const w = await watch(page);
	await page.goto('/');
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await page.getByLabel('Open an .onnx file…').setInputFiles({ name: `${XSS}.onnx`, mimeType: 'application/octet-stream', buffer: markupModel() });
	await expect(page.getByText('<img src=x', { exact: false }).first()).toBeVisible({ timeout: 30_000 });
	await page.waitForTimeout(500);
	expect(await w.injected()).toEqual({ xss: null, imgs: 0 });
	expect(w.dialogs).toEqual([]);
	expect(await w.violations()).toEqual([]);
});

test('markup in a scenario URL runs nothing and the page keeps working', async ({ page }) => {
	const w = await watch(page);
	await page.goto(`/#s=1.${encodeURIComponent(XSS)}`);
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	await page.goto(`/#${encodeURIComponent(XSS)}`);
	await expect(page.getByTestId('model-name')).not.toBeEmpty();
	expect(await w.injected()).toEqual({ xss: null, imgs: 0 });
	expect(w.dialogs).toEqual([]);
});
