/**
 * `tightfit simulate --workload w.json --device pi3 --ceiling 512MB --policy interleaved --cache lru [--json]`:
 * runs the loading simulator on a workload file and prints the policy comparison (one row per policy).
 * `--devices n` shares the workload among n identical devices of the profile, each with its own RAM under the ceiling.
 * Zoo models (ONNX or TF.js) are opened as the page opens them (see cli/model-file.ts); `file` models relative to the workload file.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { analyze } from '../../lib/core/analysis/summary';
import { deviceById, deviceProfiles, ramBytes } from '../../lib/core/devices/profiles';
import { dtypeByteSize } from '../../lib/core/ir/dtype';
import type { DType, Model } from '../../lib/core/ir/types';
import { deviceFromProfile, modelFromSummary } from '../../lib/core/loading/adapters';
import { summarize, type LoadingMetrics } from '../../lib/core/loading/metrics';
import { parsePolicy, policyLabel } from '../../lib/core/loading/policies';
import { simulate } from '../../lib/core/loading/simulator';
import type { CacheKind, LoadingPolicy, ModelSpec, SchedulerKind, SimulationResult } from '../../lib/core/loading/types';
import { expandWorkload } from '../../lib/core/loading/workload';
import { validateWorkload, type WorkloadFile } from '../../lib/core/loading/workload-schema';
import { parseArgs } from '../args';
import type { CliIO } from '../command';
import { CliError, inputError, usageError } from '../errors';
import { openModelFile, openZooModel, zooIds } from '../model-file';

export const simulateWorkloadUsage =
	'tightfit simulate --workload <w.json> [--device pi3] [--ceiling 512MB] [--policy bulk|linear|interleaved[:k]|partial:<bytes>[:k]|all] [--cache none|lru|lfu|size-aware] [--scheduler fifo|priority|edf] [--devices n] [--seed n] [--json] [--timeline]';

/** Short binary units for table cells ("4.47 MiB"); the JSON carries exact bytes. */
function formatBytes(n: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB'];
	let value = n;
	let u = 0;
	while (value >= 1024 && u < units.length - 1) {
		value /= 1024;
		u++;
	}
	return u === 0 ? `${n} B` : `${value.toFixed(2)} ${units[u]}`;
}

const UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** `512MB`, `1.5GiB`, `640KB`, `1000` (bytes), `none`/`unlimited` (Infinity). */
export function parseByteSize(text: string): number {
	if (/^(none|unlimited|inf(inity)?)$/i.test(text.trim())) return Infinity;
	const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
	const unit = UNITS[(m?.[2] || 'b').toLowerCase()];
	if (!m || unit === undefined) throw usageError(`bad size '${text}': expected a number with B, KB, MB, GB, KiB, MiB or GiB`);
	return Number(m[1]) * unit;
}

function inputBytesOf(summary: ReturnType<typeof analyze>): number {
	return summary.inputs.reduce((s, t) => {
		if (!t.shape || t.shape.some((d) => typeof d !== 'number')) return s;
		return s + (t.shape as number[]).reduce((a, d) => a * d, 1) * dtypeByteSize(t.dtype as DType);
	}, 0);
}

/** Resolves a workload's models into loader specs: zoo ids and files analysed, inline layers as given. */
export async function resolveWorkloadModels(workload: WorkloadFile, baseDir: string): Promise<ModelSpec[]> {
	const models: ModelSpec[] = [];
	for (const ref of workload.models) {
		if (ref.layers) {
			models.push({ id: ref.id, layers: ref.layers, inputBytes: ref.inputBytes ?? 0 });
			continue;
		}
		const label = `model "${ref.id}"`;
		let model: Model;
		let dims = ref.dims ?? {};
		if (ref.zoo) {
			const zoo = await openZooModel(ref.zoo, label);
			if (!zoo) throw inputError(`${label}: no zoo model "${ref.zoo}" (zoo: ${(await zooIds()).join(', ')})`);
			model = zoo.model;
			dims = { ...zoo.defaultDims, ...dims };
		} else model = await openModelFile(resolve(baseDir, ref.file as string), label);
		const summary = analyze(model, { dims });
		models.push(modelFromSummary(ref.id, summary, ref.inputBytes ?? inputBytesOf(summary)));
	}
	return models;
}

export interface PolicyRun {
	policy: string;
	metrics: LoadingMetrics;
	result: SimulationResult;
}

const ALL_POLICIES = ['bulk', 'linear', 'interleaved:1', 'interleaved:4', 'partial:{half}:2'];

function policiesFrom(text: string, ceilingBytes: number): LoadingPolicy[] {
	const half = Number.isFinite(ceilingBytes) ? `${Math.floor(ceilingBytes / 2)}` : '64MiB';
	const list = text === 'all' ? ALL_POLICIES.map((p) => p.replace('{half}', half)) : text.split(',');
	return list.map((p) => {
		try {
			return parsePolicy(p, parseByteSize);
		} catch (e) {
			if (e instanceof CliError) throw e;
			throw usageError((e as Error).message);
		}
	});
}

function pick<T extends string>(value: string, allowed: readonly T[], what: string): T {
	if (!allowed.includes(value as T)) throw usageError(`bad ${what} '${value}' (expected ${allowed.join(', ')})`);
	return value as T;
}

const processIO: CliIO = { stdout: (t) => process.stdout.write(t + '\n'), stderr: (t) => process.stderr.write(t + '\n') };

/** Runs `simulate --workload …` on the arguments after `simulate`; resolves to the exit status. */
export async function simulateWorkloadCommand(argv: string[], io: CliIO = processIO): Promise<number> {
	const args = parseArgs(argv, ['json', 'timeline'], ['workload', 'device', 'ceiling', 'policy', 'cache', 'scheduler', 'seed', 'devices']);
	const one = (name: string) => args.options.get(name)?.at(-1);
	const workloadPath = one('workload');
	if (!workloadPath) throw usageError(`--workload is required (usage: ${simulateWorkloadUsage})`);
	let raw: unknown;
	try {
		raw = JSON.parse(await readFile(workloadPath, 'utf8'));
	} catch (e) {
		throw inputError(`cannot read workload ${workloadPath}: ${(e as Error).message}`);
	}
	const checked = validateWorkload(raw);
	if (!checked.ok) throw inputError(`workload ${workloadPath} is not valid:\n${checked.issues.join('\n')}`);
	const workload = checked.workload;

	const profile = deviceById(one('device') ?? 'pi3');
	if (!profile) throw usageError(`unknown device '${one('device')}' (devices: ${deviceProfiles.map((p) => p.id).join(', ')})`);
	const ceilingBytes = one('ceiling') ? parseByteSize(one('ceiling') as string) : ramBytes(profile);
	const cache = pick<CacheKind>(one('cache') ?? 'none', ['none', 'lru', 'lfu', 'size-aware'], '--cache');
	const scheduler = pick<SchedulerKind>(one('scheduler') ?? 'fifo', ['fifo', 'priority', 'edf'], '--scheduler');
	const seed = one('seed') !== undefined ? Number(one('seed')) : workload.seed;
	if (!Number.isInteger(seed)) throw usageError(`bad --seed '${one('seed')}': expected an integer`);
	const devices = one('devices') !== undefined ? Number(one('devices')) : 1;
	if (!Number.isInteger(devices) || devices < 1 || devices > 16) throw usageError(`bad --devices '${one('devices')}': expected an integer from 1 to 16`);
	const policies = policiesFrom(one('policy') ?? 'all', ceilingBytes);

	const models = await resolveWorkloadModels(workload, dirname(resolve(workloadPath)));
	const tasks = expandWorkload(workload.streams, seed);
	const device = deviceFromProfile(profile);
	const runs: PolicyRun[] = policies.map((policy) => {
		const result = simulate({ models, tasks }, device, { ceilingBytes, policy, cache, scheduler, devices });
		return { policy: policyLabel(policy), metrics: summarize(result), result };
	});

	if (args.flags.has('json')) {
		const timeline = args.flags.has('timeline');
		io.stdout(JSON.stringify({
			workload: workload.name, device: profile.id, devices, ceilingBytes: Number.isFinite(ceilingBytes) ? ceilingBytes : null, cache, scheduler, seed,
			tasks: tasks.length,
			runs: runs.map(({ policy, metrics, result }) => ({
				policy, metrics, tasks: result.tasks, swaps: result.swaps, cache: result.cache,
				...(timeline ? { intervals: result.intervals, memory: result.memory, memoryByDevice: result.memoryByDevice } : {})
			}))
		}, (_k, value) => (value === Infinity ? null : value)));
		return 0;
	}
	const on = devices === 1 ? profile.name : `${devices} × ${profile.name} (peak is per device)`;
	io.stdout(`${workload.name}: ${tasks.length} tasks on ${on}, ceiling ${Number.isFinite(ceilingBytes) ? formatBytes(ceilingBytes) : 'none'}, cache ${cache}, ${scheduler}, seed ${seed}`);
	const header = ['policy', 'makespan ms', 'mean ms', 'p95 ms', 'peak', 'energy mJ', 'read', 'hit rate', 'misses', 'swaps'];
	const rows = runs.map(({ policy, metrics: m }) => [
		policy, m.makespanMs.toFixed(0), m.meanLatencyMs.toFixed(1), m.p95LatencyMs.toFixed(1), formatBytes(m.peakMemoryBytes),
		m.energyMillijoules.toFixed(0), formatBytes(m.bytesReadFromStorage), `${(m.cacheHitRate * 100).toFixed(0)}%`, `${m.deadlineMisses}`, `${m.swapCount}`
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	for (const row of [header, ...rows]) io.stdout(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
	return 0;
}
