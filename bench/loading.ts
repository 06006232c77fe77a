/**
 * `npx tsx bench/loading.ts`: (1) how long the loading simulator takes for a 100-task workload of the three
 * PP-OCR models on 1 and 4 devices (goal: under 50 ms, median of REPEATS runs per policy, models analysed once beforehand);
 * (2) the policy comparison on the zoo workloads (models/workloads/*.json) on a few devices and ceilings.
 * Prints markdown tables (pasted into docs/loading.md) and writes bench/results/loading.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveWorkloadModels } from '../src/cli/commands/simulate-workload.ts';
import { deviceById } from '../src/lib/core/devices/profiles.ts';
import { deviceFromProfile } from '../src/lib/core/loading/adapters.ts';
import { percentile, summarize } from '../src/lib/core/loading/metrics.ts';
import { policyLabel } from '../src/lib/core/loading/policies.ts';
import { simulate } from '../src/lib/core/loading/simulator.ts';
import type { CacheKind, LoadingPolicy, ModelSpec } from '../src/lib/core/loading/types.ts';
import { expandWorkload } from '../src/lib/core/loading/workload.ts';
import { validateWorkload, type WorkloadFile } from '../src/lib/core/loading/workload-schema.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPEATS = 21;
const MB = 1e6;

const policies: LoadingPolicy[] = [
	{ kind: 'bulk' },
	{ kind: 'linear' },
	{ kind: 'interleaved', lookahead: 1 },
	{ kind: 'interleaved', lookahead: 4 },
	{ kind: 'partial', budgetBytes: 4 * MB, lookahead: 2 }
];

function loadWorkload(name: string): WorkloadFile {
	const checked = validateWorkload(JSON.parse(readFileSync(join(root, 'models/workloads', `${name}.json`), 'utf8')));
	if (!checked.ok) throw new Error(checked.issues.join('\n'));
	return checked.workload;
}

const fmtMiB = (n: number) => (n / 2 ** 20).toFixed(1);

async function timing(): Promise<string[]> {
	const ocr = loadWorkload('ocr-pipeline');
	const models: ModelSpec[] = await resolveWorkloadModels(ocr, join(root, 'models/workloads'));
	const tasks = expandWorkload([{ kind: 'poisson', ratePerSecond: 0.5, count: 100, stages: ['det', 'cls', 'rec'], deadlineMs: 10_000 }], 1);
	const device = deviceFromProfile(deviceById('pi3')!);
	const lines = [
		`Simulation time, 100 OCR pipeline tasks (300 model runs, ${models.reduce((s, m) => s + m.layers.length, 0)} layers per pass), Pi 3 profile, ceiling 64 MB, LRU, EDF; median of ${REPEATS} runs; K identical devices`,
		'',
		'| policy | K | intervals | makespan s | median ms | p90 ms |',
		'|---|---:|---:|---:|---:|---:|'
	];
	for (const devices of [1, 4]) {
		for (const policy of policies) {
			const times: number[] = [];
			let intervals = 0;
			let makespanMs = 0;
			for (let i = 0; i < REPEATS; i++) {
				const t0 = performance.now();
				const r = simulate({ models, tasks }, device, { ceilingBytes: 64 * MB, policy, cache: 'lru', scheduler: 'edf', devices });
				times.push(performance.now() - t0);
				intervals = r.intervals.length;
				makespanMs = summarize(r).makespanMs;
			}
			lines.push(`| ${policyLabel(policy)} | ${devices} | ${intervals} | ${(makespanMs / 1000).toFixed(2)} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 90).toFixed(1)} |`);
		}
	}
	return lines;
}

async function comparison(): Promise<{ lines: string[]; rows: unknown[] }> {
	const setups: { workload: string; device: string; ceilings: number[]; caches: CacheKind[] }[] = [
		// The detector at 640×640 reserves 26.2 MB for activations (largest input + output pair): below that every layer swaps.
		{ workload: 'ocr-pipeline', device: 'pi3', ceilings: [Infinity, 40 * MB, 30 * MB], caches: ['none', 'lru', 'size-aware'] },
		{ workload: 'ocr-pipeline', device: 'pi4-2gb', ceilings: [30 * MB], caches: ['none', 'lru'] },
		{ workload: 'wakeword', device: 'pi-zero-2w', ceilings: [Infinity, 4 * MB], caches: ['none', 'lru', 'lfu', 'size-aware'] }
	];
	const lines: string[] = [];
	const rows: unknown[] = [];
	for (const setup of setups) {
		const workload = loadWorkload(setup.workload);
		const models = await resolveWorkloadModels(workload, join(root, 'models/workloads'));
		const tasks = expandWorkload(workload.streams, workload.seed);
		const profile = deviceById(setup.device)!;
		const device = deviceFromProfile(profile);
		for (const ceilingBytes of setup.ceilings) {
			lines.push('', `**${setup.workload}** (${tasks.length} tasks) on ${profile.name}, ceiling ${Number.isFinite(ceilingBytes) ? `${ceilingBytes / MB} MB` : 'none'}, EDF`, '');
			lines.push('| policy | cache | makespan s | mean latency ms | p95 latency ms | peak MiB | energy J | read MiB | hit rate | deadline misses | swaps |');
			lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
			for (const cache of setup.caches) {
				for (const policy of policies) {
					const m = summarize(simulate({ models, tasks }, device, { ceilingBytes, policy, cache, scheduler: 'edf' }));
					rows.push({ workload: setup.workload, device: setup.device, ceilingBytes: Number.isFinite(ceilingBytes) ? ceilingBytes : null, cache, policy: policyLabel(policy), ...m });
					lines.push(
						`| ${policyLabel(policy)} | ${cache} | ${(m.makespanMs / 1000).toFixed(2)} | ${m.meanLatencyMs.toFixed(0)} | ${m.p95LatencyMs.toFixed(0)} | ${fmtMiB(m.peakMemoryBytes)} | ${(m.energyMillijoules / 1000).toFixed(1)} | ${fmtMiB(m.bytesReadFromStorage)} | ${(m.cacheHitRate * 100).toFixed(0)}% | ${m.deadlineMisses} | ${m.swapCount} |`
					);
				}
			}
		}
	}
	return { lines, rows };
}

const timingLines = await timing();
const { lines, rows } = await comparison();
const header = `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}`;
console.log([header, '', ...timingLines, '', ...lines].join('\n'));
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/loading.json'), JSON.stringify({ header, timing: timingLines, comparison: rows }, null, '\t'));
