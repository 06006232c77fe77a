import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

/** Cross-origin isolation lets onnxruntime-web use threaded WASM; without it the engine falls back to one thread. */
const isolationHeaders = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp'
};

export default defineConfig({
	plugins: [sveltekit()],
	server: { headers: isolationHeaders, fs: { allow: ['models'] } },
	preview: { headers: isolationHeaders },
	optimizeDeps: { exclude: ['onnxruntime-web'] },
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 120_000,
		hookTimeout: 120_000,
		pool: 'forks'
	}
});
