/**
 * Runs `.tflite` bytes in LiteRT.js (@litertjs/core: TensorFlow Lite's own runtime, XNNPack CPU kernels
 * compiled to WebAssembly) inside Node, so tests can check the TFLite importer against the runtime the
 * files are made for. Test support only.
 *
 * LiteRT.js is built for browsers: its loader injects a <script> (or calls `importScripts` in a worker)
 * that defines `ModuleFactory`, then the Emscripten module loads its .wasm. In Node we provide what that
 * path needs for the load only — `self`, an `importScripts` that evaluates the loader in this context, and
 * `require`/`__dirname` for Emscripten's Node branch — and remove them again, so nothing else in the
 * process (onnxruntime-web) sees a browser-like global scope.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import type * as LiteRtModule from '@litertjs/core';

const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve('@litertjs/core/package.json')), 'wasm');

let loading: Promise<typeof LiteRtModule> | null = null;

async function load(): Promise<typeof LiteRtModule> {
	const g = globalThis as Record<string, unknown>;
	const shims: Record<string, unknown> = {
		self: globalThis,
		importScripts: (url: string) => runInThisContext(readFileSync(url, 'utf8'), { filename: url }),
		require,
		__dirname: wasmDir
	};
	const before = Object.fromEntries(Object.keys(shims).map((k) => [k, Object.getOwnPropertyDescriptor(g, k)]));
	Object.assign(g, shims);
	try {
		const litert = await import('@litertjs/core');
		await litert.loadLiteRt(`${wasmDir}/`);
		return litert;
	} finally {
		for (const [k, descriptor] of Object.entries(before)) {
			if (descriptor) Object.defineProperty(g, k, descriptor);
			else delete g[k];
		}
	}
}

/**
 * Compiles `bytes` for LiteRT's CPU (XNNPack) accelerator and runs it on each input in turn (float32,
 * the model's exact input shape; LiteRT does not resize a dynamic batch), returning the first output of
 * each run.
 */
export async function runTflite(bytes: Uint8Array, inputs: { dims: number[]; data: Float32Array }[]): Promise<Float32Array[]> {
	const litert = await (loading ??= load());
	const model = await litert.loadAndCompile(bytes, { accelerator: 'wasm' });
	try {
		const outputs: Float32Array[] = [];
		for (const input of inputs) {
			const tensor = new litert.Tensor(input.data, input.dims);
			const results = await model.run(tensor);
			tensor.delete();
			outputs.push(Float32Array.from(results[0].toTypedArray() as Float32Array));
			for (const r of results) r.delete();
		}
		return outputs;
	} finally {
		model.delete();
	}
}
