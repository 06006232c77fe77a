import { sveltekit } from '@sveltejs/kit/vite';
import { defaultClientConditions, type Connect, type Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** Cross-origin isolation lets onnxruntime-web use threaded WASM; without it the engine falls back to one thread. */
const isolationHeaders = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp'
};

/**
 * `preview.headers` does not reach the pages SvelteKit's preview middleware serves (vitejs/vite#9864,
 * sveltejs/kit#11293), so a middleware registered before SvelteKit's sets them on every response.
 */
const setIsolationHeaders: Connect.NextHandleFunction = (_req, res, next) => {
	for (const [name, value] of Object.entries(isolationHeaders)) res.setHeader(name, value);
	next();
};
const crossOriginIsolation: Plugin = {
	name: 'tightfit-cross-origin-isolation',
	enforce: 'pre',
	configureServer: (server) => void server.middlewares.use(setIsolationHeaders),
	configurePreviewServer: (server) => void server.middlewares.use(setIsolationHeaders)
};

export default defineConfig({
	plugins: [crossOriginIsolation, sveltekit()],
	server: { headers: isolationHeaders, fs: { allow: ['models'] } },
	preview: { headers: isolationHeaders },
	optimizeDeps: { exclude: ['onnxruntime-web'] },
	// onnxruntime-web's default browser build names its 28 MB .wasm with `new URL(…, import.meta.url)`, so Vite
	// copied it into _app twice (page and worker assets) although the app loads it from /ort/ (wasmPaths).
	// This export condition picks its build that loads the .mjs/.wasm from wasmPaths only.
	resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 120_000,
		hookTimeout: 120_000,
		pool: 'forks'
	}
});
