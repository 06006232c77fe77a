/**
 * The inference worker's handler in Node: onnxruntime-web runs a zoo model on its representative input,
 * and the WASM heap read around the session comes back as the ledger's measured figures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ZooEntry } from '../core/zoo/manifest';
import { measuredTerms } from '../core/memory/measured';
import { handleInference } from './inference-handler';

const manifest = JSON.parse(readFileSync('models/manifest.json', 'utf8')) as { models: ZooEntry[] };
const entry = manifest.models.find((m) => m.id === 'oww-hey-jarvis')!;

describe('handleInference', () => {
	it('times the runs and reads the WASM heap before and after the session and after the runs', async () => {
		const bytes = new Uint8Array(readFileSync(`static/models/${entry.id}.onnx`));
		const stages: string[] = [];
		const r = await handleInference(
			{ id: 1, type: 'run', bytes, wasmPaths: '', feeds: { kind: 'zoo', entry, dims: { ...entry.defaultDims } }, warmup: 1, runs: 3 },
			(p) => stages.push(p.stage)
		);
		expect(r.latency.runs).toBe(3);
		expect(stages).toContain('creating session');
		if (!r.heap.available) throw new Error(`heap not read: ${r.heap.basis}`);
		expect(r.heap.afterRunBytes).toBeGreaterThan(r.heap.beforeSessionBytes);
		expect(r.heap.runs).toBe(4);
		const terms = measuredTerms(r.heap);
		expect(terms.reduce((s, t) => s + t.bytes, 0)).toBe(r.heap.afterRunBytes - r.heap.beforeSessionBytes);
	}, 60_000);
});
