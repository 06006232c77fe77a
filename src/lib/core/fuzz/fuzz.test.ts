/**
 * The bounded fuzz run CI does: a fixed seed, the zoo files from node_modules plus the hand-built
 * hostile models, each case through every importer, the validator, shape inference, the summary,
 * the memory model and every planner, in a worker thread with a watchdog. Longer runs:
 * `node --import tsx scripts/fuzz.ts --seed N --cases M`.
 */
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../formats/registry';
import { generateCase, hostileSeeds, tfjsSeeds } from './corpus';
import { runCase, runTarget } from './harness';
import { runFuzz } from './node/runner';
import { allSeeds } from './node/seeds';

const ROOT = process.cwd();
const CI_SEED = 20_240_917;
const CI_CASES = 500;

describe('fuzz harness', () => {
	it('finds every zoo seed file', () => {
		const { seeds, missing } = allSeeds(ROOT);
		expect(missing).toEqual([]);
		expect(seeds.filter((s) => s.kind === 'tflite').length).toBeGreaterThan(0);
	});

	it('regenerates a case exactly from its seed and index', () => {
		const seeds = [...hostileSeeds(), ...tfjsSeeds()];
		for (const index of [seeds.length, seeds.length + 7, seeds.length + 40]) {
			const a = generateCase(seeds, 5, index);
			const b = generateCase(seeds, 5, index);
			expect(a.mutations).toEqual(b.mutations);
			expect(a.files.map((f) => f.bytes)).toEqual(b.files.map((f) => f.bytes));
		}
	});

	it('regenerates seed 4 case 2750 (model.json nested ~2000 deep, then an entry duplicated) without overflowing the stack', () => {
		// structuredClone in 'json-duplicate' once overflowed here and killed the fuzz worker.
		const c = generateCase(allSeeds(ROOT).seeds, 4, 2750);
		expect(c.mutations).toEqual(['json-deep@model.json', 'json-duplicate@model.json', 'json-value@model.json']);
		expect(c.files.map((f) => f.name)).toEqual(['model.json', 'group1-shard1of1.bin']);
	});

	it('counts a throw other than ModelFormatError, and a slow target, as failures', () => {
		const thrown = runTarget('broken', () => { throw new TypeError('x is undefined'); }, { timeBudgetMs: 2000, now: () => performance.now() });
		expect(thrown).toMatchObject({ result: 'failure', stage: 'open', message: 'TypeError: x is undefined' });
		let clock = 0;
		const model = FORMATS[0].open(hostileSeeds().find((s) => s.name === 'markup-names.onnx')!.files[0].bytes, 'm.onnx');
		const slow = runTarget('slow', () => ((clock += 5000), model), { timeBudgetMs: 2000, now: () => clock });
		expect(slow.result).toBe('failure');
		expect(slow.message).toMatch(/2000 ms bound/);
	});

	it('runs every importer in the registry on each file', () => {
		const outcomes = runCase(hostileSeeds()[0].files);
		expect(outcomes.map((o) => o.target)).toEqual([...FORMATS.map((f) => f.id), 'openModel']);
	});

	it(`survives ${CI_CASES} mutated zoo and hostile models (seed ${CI_SEED})`, async () => {
		const report = await runFuzz({ root: ROOT, runSeed: CI_SEED, cases: CI_CASES });
		const failures = report.failures.map((f) => `case ${f.index} ${f.seed} [${f.mutations.join(', ')}] ${f.target}/${f.stage}: ${f.message.slice(0, 200)}`);
		expect(failures).toEqual([]);
		expect(report.cases).toBe(CI_CASES);
		for (const format of FORMATS) expect(report.byTarget[format.id]?.cases).toBeGreaterThan(0);
		// Some cases must still open, or the mutations only ever test the first check of each importer.
		expect(report.byTarget.openModel.graph).toBeGreaterThan(CI_CASES / 20);
	}, 180_000);
});
