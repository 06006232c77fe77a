/** Opening models for the CLI: a TF.js model.json with its shards from its folder, and TF.js zoo ids. */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../lib/core/analysis/summary';
import { openFiles } from '../lib/core/formats/registry';
import { analyzeCommand } from './analyze';
import { simulateModelCommand } from './commands/simulate-model';
import { simulateWorkloadCommand } from './commands/simulate-workload';
import { CliError } from './errors';
import { openModelFile, openZooModel } from './model-file';

/** Written by scripts/tfjs-sync.js at install, as the page serves them. */
const FACE_DIR = 'static/models/tfjs/tiny-face-detector';
const FACE_JSON = join(FACE_DIR, 'model.json');
const faceFiles = () => readdirSync(FACE_DIR).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(FACE_DIR, name))) }));

function capture() {
	const out: string[] = [];
	const err: string[] = [];
	return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('CLI model files', () => {
	it('a TF.js model.json path opens with its shards, as the page opens the dropped files', async () => {
		const model = await openModelFile(FACE_JSON);
		expect(model.format).toBe('tfjs');
		const cli = analyze(model, { dims: { batch: 1 } });
		const page = analyze(openFiles(faceFiles()), { dims: { batch: 1 } });
		expect(cli.weightBytes).toBeGreaterThan(100_000);
		expect(cli.weightBytes).toBe(page.weightBytes);
		expect(cli.macs).toBe(page.macs);
		expect(cli.opCounts).toEqual(page.opCounts);
	});

	it('a model.json whose shard is not in its folder is an input error naming the shard', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tightfit-tfjs-'));
		copyFileSync(FACE_JSON, join(dir, 'model.json'));
		copyFileSync(join(FACE_DIR, 'tiny_face_detector_consts.bin'), join(dir, 'tiny_face_detector_consts.bin'));
		const error = await openModelFile(join(dir, 'model.json')).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CliError);
		expect((error as CliError).exitCode).toBe(1);
		expect((error as CliError).message).toContain('tiny_face_detector_model.bin');
	});

	it('tightfit analyze takes a model.json path', async () => {
		const c = capture();
		expect(await analyzeCommand.run([FACE_JSON, '--json', '--dims', 'batch=1'], c.io)).toBe(0);
		const summary = JSON.parse(c.out.join('\n'));
		expect(summary.weightBytes).toBe(analyze(openFiles(faceFiles()), { dims: { batch: 1 } }).weightBytes);
	});

	it('the TF.js zoo id opens the same model as its files, with the manifest dims', async () => {
		const zoo = await openZooModel('tiny-face-detector');
		expect(zoo?.defaultDims).toEqual({ batch: 1 });
		expect(analyze(zoo!.model, { dims: zoo!.defaultDims }).weightBytes).toBe(analyze(openFiles(faceFiles()), { dims: { batch: 1 } }).weightBytes);
		expect(await openZooModel('no-such-model')).toBeUndefined();
	});

	it('tightfit simulate takes the TF.js zoo id (its batch dim from the manifest)', async () => {
		const c = capture();
		expect(await simulateModelCommand(['tiny-face-detector', '--device', 'pi4', '--json'], c.io)).toBe(0);
		const report = JSON.parse(c.out.join('\n'));
		const weights = report.ledger.terms.find((t: { id: string }) => t.id === 'weights');
		expect(weights.bytes).toBeGreaterThan(100_000);
		const fromFile = capture();
		expect(await simulateModelCommand([FACE_JSON, '--device', 'pi4', '--dims', 'batch=1', '--json'], fromFile.io)).toBe(0);
		expect(JSON.parse(fromFile.out.join('\n')).ledger).toEqual(report.ledger);
		const missing = capture();
		expect(await simulateModelCommand(['no-such-model', '--json'], missing.io)).toBe(1);
		expect(missing.err[0]).toMatch(/^tightfit: no such file: no-such-model/);
	});

	it('a --workload naming the TF.js zoo id runs', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tightfit-workload-tfjs-'));
		const path = join(dir, 'w.json');
		writeFileSync(path, JSON.stringify({ name: 'faces', models: [{ id: 'face', zoo: 'tiny-face-detector' }], streams: [{ kind: 'batch', models: ['face'], count: 2, deadlineMs: 1000 }] }));
		const c = capture();
		expect(await simulateWorkloadCommand(['--workload', path, '--policy', 'bulk', '--json'], c.io)).toBe(0);
		const json = JSON.parse(c.out.join('\n'));
		expect(json.runs.map((r: { policy: string }) => r.policy)).toEqual(['bulk']);
		expect(json.runs[0].tasks).toHaveLength(2);
		expect(json.runs[0].metrics.makespanMs).toBeGreaterThan(0);
		const bad = capture();
		writeFileSync(path, JSON.stringify({ name: 'x', models: [{ id: 'm', zoo: 'nope' }], streams: [{ kind: 'batch', models: ['m'], count: 1, deadlineMs: 1000 }] }));
		const error = await simulateWorkloadCommand(['--workload', path], bad.io).catch((e: unknown) => e);
		expect(String((error as Error)?.message ?? bad.err.join('\n'))).toMatch(/no zoo model "nope" \(zoo: .*tiny-face-detector/);
	});
});
