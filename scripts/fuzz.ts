/**
 * Longer fuzz runs by hand:
 *   node --import tsx scripts/fuzz.ts --seed 7 --cases 2000 [--start 0] [--budget-ms 2000] [--save]
 * Prints cases per target, every failure and the slowest case; --save writes each failing case's
 * files to tests/fuzz-regressions/ so the replay test keeps it. Exits 1 when a case failed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCase } from '../src/lib/core/fuzz/corpus';
import { runFuzz } from '../src/lib/core/fuzz/node/runner';
import { allSeeds } from '../src/lib/core/fuzz/node/seeds';

const { values } = parseArgs({
	options: { seed: { type: 'string', default: '1' }, cases: { type: 'string', default: '500' }, start: { type: 'string', default: '0' }, 'budget-ms': { type: 'string', default: '2000' }, save: { type: 'boolean', default: false } }
});
const root = process.cwd();
const runSeed = Number(values.seed);
let done = 0;
const report = await runFuzz({
	root, runSeed, cases: Number(values.cases), start: Number(values.start), timeBudgetMs: Number(values['budget-ms']),
	onCase: () => void (++done % 100 === 0 && process.stderr.write(`${done} cases…\n`))
});

console.log(`seed ${runSeed}: ${report.cases} cases in ${(report.wallMs / 1000).toFixed(1)} s`);
console.table(report.byTarget);
if (report.slowest) {
	const s = report.slowest;
	console.log(`slowest: case ${s.index} (${s.seed}${s.mutations.length ? ' + ' + s.mutations.join(', ') : ''}) on ${s.target}: ${s.elapsedMs.toFixed(0)} ms`);
}
for (const f of report.failures) console.log(`FAIL case ${f.index} ${f.seed} [${f.mutations.join(', ')}] ${f.target}/${f.stage}: ${f.message.slice(0, 300)}`);

if (values.save && report.failures.length) {
	const { seeds } = allSeeds(root);
	for (const index of new Set(report.failures.map((f) => f.index))) {
		const c = generateCase(seeds, runSeed, index);
		// One file is kept as is; a model.json with its shards as a folder of them.
		const base = `seed${runSeed}-case${index}-${c.seed.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
		const dir = join(root, 'tests/fuzz-regressions', c.files.length > 1 ? base : '');
		mkdirSync(dir, { recursive: true });
		for (const file of c.files) writeFileSync(join(dir, c.files.length > 1 ? file.name : `${base}${extname(file.name) === extname(c.seed) ? '' : extname(file.name)}`), file.bytes);
		console.log(`saved case ${index} (${c.mutations.join(', ') || 'unmutated'}) to tests/fuzz-regressions/${c.files.length > 1 ? base + '/' : base}`);
	}
}
process.exit(report.failures.length ? 1 : 0);
