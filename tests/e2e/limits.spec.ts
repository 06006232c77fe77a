/**
 * Big inputs and dying workers in the built site: a file over the page's limit is refused before it is
 * read; a large one is read with progress and can be cancelled; a model whose activations cannot fit
 * onnxruntime-web's 4 GB wasm32 heap fails as 'out-of-memory' with smaller variants offered; a worker
 * that dies is restarted with a notice and the page keeps its model.
 *
 * TIGHTFIT_BIG_MODEL=1 also opens a ~450 MB model and prints its time and peak tab memory
 * (docs/robustness.md records the figures).
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { PAGE_MODEL_LIMIT_BYTES } from '../../src/lib/core/formats/limits';
import { ELEM, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../src/lib/testing/onnx-builders';

/** A sparse file of `bytes` zeros in /tmp: its size is real, its blocks are not written. */
function sparseFile(name: string, bytes: number): string {
	const path = `/tmp/${name}`;
	const fd = openSync(path, 'w');
	ftruncateSync(fd, bytes);
	closeSync(fd);
	return path;
}

/** x[1,1] expanded to [1, n] float32: tiny file, an n×4-byte activation. */
function expandModel(n: number): Buffer {
	const shape = { name: 'shape', dataType: ELEM.int64, dims: [2], rawData: new Uint8Array(new BigInt64Array([1n, BigInt(n)]).buffer) };
	return Buffer.from(
		protoModelBytes(
			protoGraph({
				node: [protoNode('Expand', ['x', 'shape'], ['y'])],
				input: [protoValueInfo('x', ELEM.float, [1, 1])],
				output: [protoValueInfo('y', ELEM.float, [1, n])],
				initializer: [shape]
			})
		)
	);
}

/** y = x · W with W float32 [1024, n]: a file of about 4 KiB × n, written once to /tmp. */
function bigMatMulModel(n: number): string {
	const path = `/tmp/tightfit-big-matmul-${n}.onnx`;
	if (existsSync(path)) return path;
	const w = { name: 'W', dataType: ELEM.float, dims: [1024, n], rawData: new Uint8Array(1024 * n * 4).fill(0x3c) };
	writeFileSync(
		path,
		protoModelBytes(
			protoGraph({
				node: [protoNode('MatMul', ['x', 'W'], ['y'])],
				input: [protoValueInfo('x', ELEM.float, [1, 1024])],
				output: [protoValueInfo('y', ELEM.float, [1, n])],
				initializer: [w]
			})
		)
	);
	return path;
}

async function ready(page: Page) {
	await page.goto('/');
	await expect(page.getByTestId('model-name')).not.toBeEmpty({ timeout: 60_000 });
	return (await page.getByTestId('model-name').textContent())!;
}

const fileInput = (page: Page) => page.getByLabel('Open an .onnx file…');

test('a file over the page limit is refused up front, with the reason, and the model stays', async ({ page }) => {
	const before = await ready(page);
	const path = sparseFile('tightfit-too-big.onnx', PAGE_MODEL_LIMIT_BYTES + 64 * 2 ** 20);
	await fileInput(page).setInputFiles(path);
	const alert = page.getByRole('alert');
	await expect(alert).toContainText("'tightfit-too-big.onnx' is too large");
	await expect(alert).toContainText('this page opens models up to 512 MiB');
	await expect(alert).toContainText('4 GB');
	await expect(alert).toContainText('The file was not read');
	await expect(alert).toContainText(`${before} is still loaded`);
	await expect(page.getByTestId('load-progress')).toHaveCount(0);
	await expect(page.getByTestId('model-name')).toHaveText(before);
});

test('a large file is read with progress and Cancel stops it; the page keeps working', async ({ page }) => {
	const before = await ready(page);
	const path = sparseFile('tightfit-large.onnx', PAGE_MODEL_LIMIT_BYTES - 2 ** 20);
	await fileInput(page).setInputFiles(path);
	const progress = page.getByTestId('read-progress');
	await expect(progress).toBeVisible();
	await expect(page.getByTestId('load-progress')).toContainText(/reading .* of 511/);
	await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(0);
	await page.getByTestId('load-progress').getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByTestId('load-progress')).toHaveCount(0);
	await expect(page.getByRole('alert')).toHaveCount(0);
	await expect(page.getByTestId('model-name')).toHaveText(before);
	// The analysis worker that was stopped is replaced: another model opens.
	await fileInput(page).setInputFiles({ name: 'small.onnx', mimeType: 'application/octet-stream', buffer: expandModel(16) });
	await expect(page.getByTestId('model-name')).toHaveText('small.onnx', { timeout: 60_000 });
});

test('an activation past the wasm32 4 GB heap fails as out-of-memory and smaller variants are offered', async ({ page }) => {
	test.setTimeout(300_000);
	await ready(page);
	// 1.07e9 float32 = 4.28 GB: fits a 32-bit size_t, not the heap. onnxruntime-web cannot allocate it.
	await fileInput(page).setInputFiles({ name: 'expand-4gb.onnx', mimeType: 'application/octet-stream', buffer: expandModel(1_070_000_000) });
	await expect(page.getByTestId('model-name')).toHaveText('expand-4gb.onnx', { timeout: 60_000 });
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	const oom = page.getByTestId('run-oom');
	await expect(oom).toBeVisible({ timeout: 240_000 });
	await expect(oom).toContainText('Out of memory');
	await expect(oom).toContainText('ran out of memory while');
	await oom.getByRole('button', { name: /int8/ }).click();
	await expect(page.locator('input[name="quantize"][value="int8-weight"]')).toBeChecked();
	await expect(page.getByTestId('model-name')).toHaveText('expand-4gb.onnx');
	await expect(oom.getByRole('button', { name: /Tile/ })).toBeVisible();
});

test('a worker that dies is restarted, the person is told, and the model stays', async ({ page }) => {
	const name = await ready(page);
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 120_000 });
	// A real uncaught error in the worker's global scope, as a bug would throw: the page gets an `error` event.
	const worker = page.workers().find((w) => /inference/.test(w.url()));
	expect(worker, 'the inference worker').toBeTruthy();
	await worker!.evaluate(() => setTimeout(() => {
		throw new Error('simulated crash');
	}));
	const notice = page.getByTestId('worker-notice');
	await expect(notice).toContainText('The inference worker stopped (');
	await expect(notice).toContainText('simulated crash');
	await expect(notice).toContainText('it was restarted. Nothing was running in it, so nothing was lost.');
	await expect(notice).toContainText('Your scenario, model and uploaded files are kept.');
	await expect(page.getByTestId('model-name')).toHaveText(name);
	await expect(page.getByTestId('latency-median')).toBeVisible();
	// The fresh worker serves the next run.
	await page.getByRole('button', { name: 'Run in this browser' }).click();
	await expect(page.getByTestId('latency-median')).toBeVisible({ timeout: 120_000 });
	await notice.getByRole('button', { name: 'Dismiss' }).click();
	await expect(notice).toHaveCount(0);
});

/** Peak resident memory (VmHWM, bytes) of the Chromium renderers this test process started. */
function rendererPeakBytes(): number {
	const parentOf = (pid: string) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
	const descends = (pid: string) => {
		for (let p = Number(pid), hops = 0; p > 1 && hops < 10; hops++) {
			if (p === process.pid) return true;
			try {
				p = parentOf(String(p));
			} catch {
				return false;
			}
		}
		return false;
	};
	let peak = 0;
	for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer') || !descends(pid)) continue;
			const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
			peak = Math.max(peak, kb * 1024);
		} catch {
			// a process that ended while we looked
		}
	}
	return peak;
}

test('the largest model measured here: time to open and peak tab memory', async ({ page }) => {
	test.skip(!process.env.TIGHTFIT_BIG_MODEL, 'set TIGHTFIT_BIG_MODEL=1 to measure (writes ~450 MB to /tmp)');
	test.setTimeout(600_000);
	const n = Number(process.env.TIGHTFIT_BIG_MODEL_N ?? 110_000);
	const path = bigMatMulModel(n);
	await ready(page);
	const baseline = rendererPeakBytes();
	const t0 = Date.now();
	await fileInput(page).setInputFiles(path);
	await expect(page.getByTestId('model-name')).toHaveText(path.split('/').pop()!, { timeout: 540_000 });
	const openMs = Date.now() - t0;
	const peak = rendererPeakBytes();
	const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null);
	const fileBytes = statSync(path).size;
	console.log(JSON.stringify({ fileBytes, openMs, rendererPeakBytes: peak, rendererPeakBeforeBytes: baseline, mainHeapUsedBytes: heap }));
	expect(peak).toBeGreaterThan(0);
});
