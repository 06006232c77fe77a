import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { optimizeCommand } from '../../../cli/commands/optimize';
import { importOnnx } from '../formats/onnx/import';
import { layerErrors } from './calibration';
import { compareOutputs } from './fidelity';
import { fuse } from './fuse';
import { applyTransforms } from './pipeline';
import { activationTensors, quantizeStatic } from './quantize-static';
import { fingerprint, loadZoo, runModel, ZOO, zooFeeds, zooRunner } from './test-support';

describe('static int8 (QDQ) with calibration', () => {
	it('det: per-channel static keeps output SQNR ≥ 12 dB, beats per-tensor on depthwise weights; layer errors are reported', async () => {
		const model = fuse(loadZoo('det')).model;
		const before = fingerprint(model);
		const feeds = zooFeeds('det');
		const run = zooRunner('det');
		const ref = await runModel(model, feeds);
		const pc = await quantizeStatic(model, run, { perChannel: true });
		expect(fingerprint(model)).toBe(before);
		expect(pc.model.graph.nodes.some((n) => n.opType === 'QuantizeLinear')).toBe(true);
		// Depthwise Convs stay float by default (slower in int8 on onnxruntime-web), and are reported so.
		expect(pc.report.skipped.filter((s) => /depthwise/.test(s.reason))).toHaveLength(14);
		const [fpc] = Object.values(compareOutputs(ref, await runModel(pc.model, feeds)));
		expect(fpc.sqnrDb).toBeGreaterThanOrEqual(12);
		// With the depthwise Convs quantized too, one scale per tensor is what per-channel beats.
		const dwpc = await quantizeStatic(model, run, { perChannel: true, depthwise: true });
		const dwpt = await quantizeStatic(model, run, { perChannel: false, depthwise: true });
		const [fdwpc] = Object.values(compareOutputs(ref, await runModel(dwpc.model, feeds)));
		const [fdwpt] = Object.values(compareOutputs(ref, await runModel(dwpt.model, feeds)));
		expect(fdwpc.sqnrDb).toBeGreaterThanOrEqual(12);
		expect(fdwpc.sqnrDb).toBeGreaterThan(fdwpt.sqnrDb);
		const convOutputs = model.graph.nodes.filter((n) => n.opType === 'Conv').slice(0, 5).map((n) => n.outputs[0]);
		const errors = await layerErrors(model, pc.model, convOutputs, run);
		expect(errors).toHaveLength(5);
		for (const e of errors) expect(e.sqnrDb).toBeGreaterThan(5);
	});

	it('cls: per-channel static agrees on the class; percentile calibration runs', async () => {
		const model = fuse(loadZoo('cls')).model;
		const feeds = zooFeeds('cls');
		const ref = await runModel(model, feeds);
		const q = await quantizeStatic(model, zooRunner('cls'), { perChannel: true, method: 'percentile' });
		const [f] = Object.values(compareOutputs(ref, await runModel(q.model, feeds)));
		expect(f.top1Agreement).toBe(1);
		expect(activationTensors(model).length).toBeGreaterThan(50);
	});
});

describe('pipeline and CLI', () => {
	it('fuse → prune → share → int8-weight runs on the orientation classifier; steps in order', async () => {
		const model = loadZoo('cls');
		const steps: string[] = [];
		const { model: out, reports } = await applyTransforms(model, { fuse: true, prune: 0.1, share: 8, quantize: 'int8-weight', perChannel: true }, { progress: (s) => steps.push(s) });
		expect(steps).toEqual(['fuse', 'prune', 'share', 'quantize']);
		expect(reports.map((r) => r.transform)).toEqual(['fuse', 'prune-layer', 'share-8bit', 'int8-weight-per-channel']);
		const feeds = zooFeeds('cls');
		// Pruning without fine-tuning moves a saturated 2-class softmax a lot, so only check that it runs and is finite.
		const [f] = Object.values(compareOutputs(await runModel(model, feeds), await runModel(out, feeds)));
		expect(Number.isFinite(f.maxAbsError)).toBe(true);
	});

	it('tightfit optimize writes a runnable model and a report', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tightfit-opt-'));
		const lines: string[] = [];
		const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) };
		const code = await optimizeCommand.run([ZOO.cls, '--fuse', '--quantize', 'fp16', '-o', join(dir, 'out.onnx'), '--report', join(dir, 'r.json')], io);
		expect(code).toBe(0);
		const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
		expect(report.reports.map((r: { transform: string }) => r.transform)).toEqual(['fuse', 'fp16']);
		expect(report.storageAfter.denseBytes).toBeLessThan(report.storageBefore.denseBytes * 0.6);
		const out = importOnnx(new Uint8Array(readFileSync(join(dir, 'out.onnx'))));
		await runModel(out, zooFeeds('cls'));
	});
});
