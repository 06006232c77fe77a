/**
 * `npx tsx bench/loading.ts`: (1) how long the loading simulator takes for a 100-task workload of the three
 * PP-OCR models on 1 and 4 devices (goal: under 50 ms, median of REPEATS runs per policy, models analysed once beforehand);
 * (2) the policy comparison on the zoo workloads (models/workloads/*.json) on a few devices and ceilings.
 * Prints markdown tables (pasted into docs/loading.md) and writes bench/results/loading.json.
 *
 * `node --import tsx bench/loading.ts --measured [--blocks 16] [--runs 7] [--models id,…] [--bandwidth MB/s]`: instead, really runs
 * bulk, linear and interleaved on each ONNX zoo model split into blocks, in onnxruntime-web (WASM, in Node: the
 * same engine and code the page's measured mode runs in a worker), 1 untimed + `runs` timed cold passes per
 * policy, beside the simulator's one cold pass on the "This browser" profile; with --bandwidth, every block read takes as
 * long as that storage would (emulated) and the simulator gets the same storage and a compute rate calibrated on
 * the measured bulk pass; writes bench/results/loading-measured.json (or loading-measured-<MB/s>.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveWorkloadModels } from '../src/cli/commands/simulate-workload.ts';
import { browserProfile } from '../src/lib/core/devices/calibrate.ts';
import { findEntry, parseManifest, resolveDims } from '../src/lib/core/zoo/manifest.ts';
import { analyze } from '../src/lib/core/analysis/summary.ts';
import { exportOnnx } from '../src/lib/core/formats/onnx/export.ts';
import { openModel } from '../src/lib/core/formats/registry.ts';
import { splitIntoBlocks } from '../src/lib/core/loading/split-blocks.ts';
import { inferShapes } from '../src/lib/core/shapes/infer.ts';
import { zooInputValues } from '../src/lib/workers/analysis-handler.ts';
import { handleLoading } from '../src/lib/workers/loading-handler.ts';
import type { LoadingModelInput, LoadingResult, MeasuredPolicy } from '../src/lib/workers/protocol.ts';
import { deviceById } from '../src/lib/core/devices/profiles.ts';
import { deviceFromProfile } from '../src/lib/core/loading/adapters.ts';
import { percentile, summarize } from '../src/lib/core/loading/metrics.ts';
import { policyLabel } from '../src/lib/core/loading/policies.ts';
import { simulate } from '../src/lib/core/loading/simulator.ts';
import type { CacheKind, LayerSpec, LoadingPolicy, ModelSpec } from '../src/lib/core/loading/types.ts';
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
		'| policy | K | intervals | makespan s | median ms (wall) | p90 ms (wall) | median ms (CPU) |',
		'|---|---:|---:|---:|---:|---:|---:|'
	];
	for (const devices of [1, 4]) {
		for (const policy of policies) {
			const times: number[] = [];
			const cpu: number[] = [];
			let intervals = 0;
			let makespanMs = 0;
			for (let i = 0; i < REPEATS; i++) {
				const t0 = performance.now();
				const c0 = process.cpuUsage();
				const r = simulate({ models, tasks }, device, { ceilingBytes: 64 * MB, policy, cache: 'lru', scheduler: 'edf', devices });
				const c = process.cpuUsage(c0);
				times.push(performance.now() - t0);
				// CPU time of this process (user + system): what the simulation costs, whatever else the machine runs.
				cpu.push((c.user + c.system) / 1000);
				intervals = r.intervals.length;
				makespanMs = summarize(r).makespanMs;
			}
			lines.push(`| ${policyLabel(policy)} | ${devices} | ${intervals} | ${(makespanMs / 1000).toFixed(2)} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 90).toFixed(1)} | ${percentile(cpu, 50).toFixed(1)} |`);
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

const EXECUTED = ['bulk', 'linear', 'interleaved'] as const;
const arg = (name: string): string | undefined => {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
};
/** -1, 1, or 0 where policy i and j are not told apart. */
type Relation = (i: number, j: number) => number;
/** Policies in order of `xs`, joined by '<' where `rel` tells neighbours apart and '≈' where it does not. */
const order = (xs: number[], rel: Relation) => {
	const idx = EXECUTED.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
	return idx.map((i, k) => (k === 0 ? '' : rel(idx[k - 1], i) === 0 ? ' ≈ ' : ' < ') + EXECUTED[i]).join('');
};

/**
 * The model as the measured mode runs it: one loader layer per block (the same split), holding the block's
 * file bytes and the MACs of its nodes, so simulated and measured passes read and run the same units.
 */
async function blockSpec(input: LoadingModelInput, blockCount: number): Promise<ModelSpec> {
	const model = openModel(input.bytes, input.fileName);
	const inputValues = input.zoo ? await zooInputValues(input.zoo, input.dims) : undefined;
	const blocks = splitIntoBlocks(model, inferShapes(model, input.dims, { inputValues }).values, blockCount);
	const blockOf = new Map<string, number>();
	blocks.forEach((b, k) => b.nodes.forEach((i) => blockOf.set(model.graph.nodes[i].name, k)));
	// What the measured mode reads per block: its exported file (weights, copied constants, graph).
	const layers: LayerSpec[] = blocks.map((b, k) => ({ name: `block ${k}`, weightBytes: exportOnnx(b.model).byteLength, outputBytes: 0, macs: 0 }));
	let k = 0;
	// Rows of nodes inside If branches carry names of their own: they belong to the block of the row before.
	for (const row of analyze(model, { dims: input.dims, inputValues }).layers) {
		k = blockOf.get(row.name) ?? k;
		layers[k].macs = (layers[k].macs ?? 0) + row.macs;
		layers[k].outputBytes = Math.max(layers[k].outputBytes, row.outputBytes);
	}
	return { id: input.id, layers };
}

async function measured(): Promise<{ lines: string[]; rows: unknown[] }> {
	const blockCount = Number(arg('blocks') ?? 16);
	const runs = Number(arg('runs') ?? 7);
	// --bandwidth <MB/s>: every block read takes as long as that storage would (a timer, which a running block overlaps).
	const storage = arg('bandwidth') ? { bandwidthBytesPerSecond: Number(arg('bandwidth')) * 1e6, latencyMs: 0 } : undefined;
	const manifest = parseManifest(JSON.parse(readFileSync(join(root, 'models/manifest.json'), 'utf8')));
	const ids = arg('models')?.split(',') ?? ['ppocr-v4-rec', 'ppocr-v4-det', 'ppocr-mobile-v2-cls', 'oww-embedding', 'oww-melspectrogram', 'oww-hey-jarvis', 'silero-vad-v5'];
	const lines = [
		`Measured: ${blockCount} blocks (fewer where the graph allows fewer cuts), 1 untimed + ${runs} timed cold passes per policy, median (p10–p90)${storage ? `, every read stretched to ${storage.bandwidthBytesPerSecond / 1e6} MB/s (emulated storage)` : ''}; '≈' where p10–p90 ranges overlap. Simulated: one cold pass, ${storage ? 'the same storage and a compute rate calibrated so that simulated bulk = measured bulk' : '"This browser" profile (uncalibrated)'}, no ceiling, the same blocks as loader layers, interleaved k=1; '≈' within 1%. Policy pairs: measured and simulated order the pair the same (agree), oppositely (contradict), or one of them does not tell it apart (undecided)`,
		'',
		'| model | block files | blocks | bulk measured | linear measured | interleaved measured | sessions (bulk / linear / interleaved) | measured ranking | simulated bulk / linear / interleaved | simulated ranking | policy pairs |',
		'|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|'
	];
	const rows: unknown[] = [];
	const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);
	for (const id of ids) {
		const entry = findEntry(manifest, id);
		const input = (): LoadingModelInput => ({ id, bytes: new Uint8Array(readFileSync(join(root, 'static/models', `${id}.onnx`))), fileName: `${id}.onnx`, dims: resolveDims(entry), zoo: entry });
		const spec = await blockSpec(input(), blockCount);
		const results: MeasuredPolicy[] = [];
		for (const policy of EXECUTED) {
			const r = (await handleLoading({ id: 3, type: 'measure', model: input(), storeKey: `bench-${id}`, blockCount, policy, warmup: 1, runs, wasmPaths: '', ...(storage ? { storage } : {}) }, () => {})) as Extract<LoadingResult, { type: 'measure' }>;
			results.push(r.measured);
		}
		const weights = spec.layers.reduce((s, l) => s + l.weightBytes, 0);
		let device = deviceFromProfile(browserProfile());
		if (storage) {
			// Calibrated to this run: the emulated storage, and a MAC rate that makes the simulated bulk pass equal the
			// measured one (its session creation folded into compute). Linear and interleaved are then predictions.
			const macs = spec.layers.reduce((s, l) => s + (l.macs ?? 0), 0);
			const computeMs = Math.max(1e-3, results[0].latency.medianMs - storage.latencyMs - (results[0].storedBytes / storage.bandwidthBytesPerSecond) * 1000);
			device = { ...device, storageBandwidthBytesPerSecond: storage.bandwidthBytesPerSecond, storageLatencyMs: 0, macsPerSecond: macs / (computeMs / 1000), macsPerSecondByDtype: undefined, layerOverheadMs: 0 };
		}
		const sim = (await handleLoading({
			id: 2, type: 'simulate', models: [spec], streams: [{ kind: 'pipeline', stages: [id], count: 1 }], seed: 1, device,
			ceilingBytes: Infinity, policies: [{ kind: 'bulk' }, { kind: 'linear' }, { kind: 'interleaved', lookahead: 1 }], detailIndex: 0, cache: 'none', scheduler: 'fifo'
		}, () => {})) as Extract<LoadingResult, { type: 'simulate' }>;
		const simulated = sim.outcomes.map((o) => o.metrics.makespanMs);
		const medians = results.map((r) => r.latency.medianMs);
		// Measured: two policies are told apart only when their p10–p90 ranges do not overlap; simulated: when
		// they differ by more than 1%.
		const measuredRel: Relation = (i, j) => {
			const [a, b] = [results[i].latency, results[j].latency];
			return a.p90Ms < b.p10Ms ? -1 : b.p90Ms < a.p10Ms ? 1 : 0;
		};
		const simulatedRel: Relation = (i, j) => (Math.abs(simulated[i] - simulated[j]) <= 0.01 * Math.max(simulated[i], simulated[j]) ? 0 : Math.sign(simulated[i] - simulated[j]));
		const pairs = [[0, 1], [0, 2], [1, 2]].map(([i, j]) => [measuredRel(i, j), simulatedRel(i, j)]);
		const agreeCount = pairs.filter(([m, s]) => m !== 0 && m === s).length;
		const contradict = pairs.filter(([m, s]) => m !== 0 && s !== 0 && m !== s).length;
		const verdict = `${agreeCount} agree, ${contradict} contradict, ${3 - agreeCount - contradict} undecided`;
		rows.push({ id, weightBytes: weights, blocks: results[1].blocks, measured: results.map((r) => ({ policy: r.policy, latency: r.latency, sessionCreateMs: r.sessionCreateMs })), simulatedMs: simulated, verdict });
		lines.push(
			`| ${id} | ${fmtMiB(weights)} MiB | ${results[1].blocks} | ${results.map((r) => `${ms(r.latency.medianMs)} (${ms(r.latency.p10Ms)}–${ms(r.latency.p90Ms)})`).join(' | ')} | ${results.map((r) => ms(r.sessionCreateMs)).join(' / ')} | ${order(medians, measuredRel)} | ${simulated.map(ms).join(' / ')} | ${order(simulated, simulatedRel)} | ${verdict} |`
		);
		console.error(lines[lines.length - 1]);
	}
	return { lines, rows };
}

const header = `Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}, ${new Date().toISOString().slice(0, 10)}`;
mkdirSync(join(root, 'bench/results'), { recursive: true });
if (process.argv.includes('--measured')) {
	const { lines, rows } = await measured();
	console.log([header, '', ...lines].join('\n'));
	const bandwidth = arg('bandwidth');
	writeFileSync(join(root, `bench/results/loading-measured${bandwidth ? `-${bandwidth}` : ''}.json`), JSON.stringify({ header, lines, rows }, null, '\t'));
} else {
	const timingLines = await timing();
	const { lines, rows } = await comparison();
	console.log([header, '', ...timingLines, '', ...lines].join('\n'));
	writeFileSync(join(root, 'bench/results/loading.json'), JSON.stringify({ header, timing: timingLines, comparison: rows }, null, '\t'));
}
