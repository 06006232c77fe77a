/**
 * `npm run bench`: for every zoo model, how long our core takes to import, infer shapes and export
 * it, and the measured latency of our exported file vs the original in onnxruntime-web (Node, wasm,
 * one thread) on the model's representative input. Prints a table and writes bench/results/latest.json.
 *
 * Core timings are medians of CORE_REPEATS; latency is the median of N interleaved runs (original,
 * exported, original, …) after WARMUP runs each, N chosen per model to fit a time budget, so both
 * files see the same machine state. Everything runs in this one process.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { exportOnnx } from '../src/lib/core/formats/onnx/export.ts';
import { importOnnx } from '../src/lib/core/formats/onnx/import.ts';
import { inferShapes } from '../src/lib/core/shapes/infer.ts';
import { type Feeds, representativeInput } from '../src/lib/core/zoo/inputs.ts';
import { parseManifest, resolveDims, type ZooEntry } from '../src/lib/core/zoo/manifest.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORE_REPEATS = 7;
const WARMUP = 3;
const MIN_RUNS = 7;
const MAX_RUNS = 200;
/** Wall-clock budget for one model's latency runs (both files together). */
const LATENCY_BUDGET_MS = 10_000;

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

interface Spread {
	medianMs: number;
	p10Ms: number;
	p90Ms: number;
	runs: number;
}

interface BenchRow {
	id: string;
	bytes: number;
	exportedBytes: number;
	nodes: number;
	importMs: number;
	inferShapesMs: number;
	unsupportedNodes: number;
	exportMs: number;
	original: Spread;
	exported: Spread;
	/**
	 * Median over run pairs of exported ms / original ms (each pair back to back, so both see the same
	 * machine load): 1 means our export runs exactly as fast. Sturdier than the ratio of medians on a
	 * shared machine.
	 */
	latencyRatio: number;
	/** exported median / original median. */
	medianRatio: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]): Spread => {
	const s = [...xs].sort((a, b) => a - b);
	return { medianMs: median(s), p10Ms: quantile(s, 0.1), p90Ms: quantile(s, 0.9), runs: s.length };
};

function timeIt<T>(fn: () => T): { ms: number; result: T } {
	const start = performance.now();
	const result = fn();
	return { ms: performance.now() - start, result };
}

function medianTime<T>(fn: () => T): { ms: number; result: T } {
	const times: number[] = [];
	let result!: T;
	for (let i = 0; i < CORE_REPEATS; i++) {
		const t = timeIt(fn);
		times.push(t.ms);
		result = t.result;
	}
	return { ms: median(times), result };
}

function ortFeeds(feeds: Feeds): Record<string, ort.Tensor> {
	return Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, new ort.Tensor(t.dtype, t.data, t.dims)]));
}

async function timedRun(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<number> {
	const start = performance.now();
	const out = await session.run(feeds);
	const ms = performance.now() - start;
	for (const t of Object.values(out)) t.dispose();
	return ms;
}

async function latency(original: Uint8Array, exported: Uint8Array, feeds: Feeds): Promise<[Spread, Spread, number]> {
	const options: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'] };
	const a = await ort.InferenceSession.create(original, options);
	const b = await ort.InferenceSession.create(exported, options);
	try {
		const inputs = ortFeeds(feeds);
		const warm: number[] = [];
		for (let i = 0; i < WARMUP; i++) warm.push(await timedRun(a, inputs), await timedRun(b, inputs));
		const perPair = median(warm) * 2;
		const runs = Math.max(MIN_RUNS, Math.min(MAX_RUNS, Math.floor(LATENCY_BUDGET_MS / perPair)));
		const ta: number[] = [];
		const tb: number[] = [];
		for (let i = 0; i < runs; i++) {
			// Alternate which file goes first so neither always runs on a warmer cache.
			if (i % 2) {
				tb.push(await timedRun(b, inputs));
				ta.push(await timedRun(a, inputs));
			} else {
				ta.push(await timedRun(a, inputs));
				tb.push(await timedRun(b, inputs));
			}
		}
		return [spread(ta), spread(tb), median(tb.map((t, i) => t / ta[i]))];
	} finally {
		await a.release();
		await b.release();
	}
}

async function benchModel(entry: ZooEntry): Promise<BenchRow> {
	const bytes = new Uint8Array(readFileSync(join(root, 'node_modules', entry.source.package, entry.source.path)));
	const feeds = representativeInput(entry);
	// Small integer inputs (Silero's sample rate) are given as values so If conditions fold.
	const inputValues = Object.fromEntries(
		Object.entries(feeds).filter(([, t]) => t.dtype === 'int64').map(([name, t]) => [name, t.data])
	);
	const imported = medianTime(() => importOnnx(bytes, entry.source.path));
	const model = imported.result;
	const shapes = medianTime(() => inferShapes(model, resolveDims(entry), { inputValues }));
	const exported = medianTime(() => exportOnnx(model));
	const [original, ours, pairedRatio] = await latency(bytes, exported.result, feeds);
	return {
		id: entry.id,
		bytes: bytes.length,
		exportedBytes: exported.result.length,
		nodes: model.graph.nodes.length,
		importMs: imported.ms,
		inferShapesMs: shapes.ms,
		unsupportedNodes: shapes.result.unsupported.length,
		exportMs: exported.ms,
		original,
		exported: ours,
		latencyRatio: pairedRatio,
		medianRatio: ours.medianMs / original.medianMs
	};
}

function table(rows: BenchRow[]): string {
	const head = ['model', 'nodes', 'import ms', 'shapes ms', 'export ms', 'original ms', 'exported ms', 'ratio', 'runs'];
	const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
	const body = rows.map((r) => [
		r.id, String(r.nodes), f(r.importMs), f(r.inferShapesMs) + (r.unsupportedNodes ? ` (${r.unsupportedNodes} unsup.)` : ''),
		f(r.exportMs), `${f(r.original.medianMs)} [${f(r.original.p10Ms)}–${f(r.original.p90Ms)}]`,
		`${f(r.exported.medianMs)} [${f(r.exported.p10Ms)}–${f(r.exported.p90Ms)}]`, r.latencyRatio.toFixed(3), String(r.original.runs)
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const manifest = parseManifest(JSON.parse(readFileSync(join(root, 'models', 'manifest.json'), 'utf8')));
const only = process.argv.slice(2);
const started = performance.now();
const rows: BenchRow[] = [];
for (const entry of manifest.models) {
	if (only.length && !only.includes(entry.id)) continue;
	rows.push(await benchModel(entry));
	process.stderr.write(`bench: ${entry.id} done\n`);
}
const environment = {
	date: new Date().toISOString(),
	node: process.version,
	onnxruntimeWeb: ort.env.versions.web,
	backend: 'wasm',
	threads: 1,
	simd: ort.env.wasm.simd ?? true,
	cpu: os.cpus()[0]?.model ?? 'unknown',
	logicalCpus: os.cpus().length,
	platform: `${os.platform()} ${os.arch()}`,
	loadAverage1m: os.loadavg()[0],
	coreRepeats: CORE_REPEATS,
	warmup: WARMUP
};
console.log(table(rows));
console.log(
	`\nlatency: median [p10–p90] of interleaved runs after ${WARMUP} warm-up runs each; ratio: median of paired exported/original;` +
		` core timings: median of ${CORE_REPEATS}; load average ${os.loadavg()[0].toFixed(1)}.` +
		`\n${environment.cpu}, ${environment.logicalCpus} logical CPUs, Node ${environment.node}, onnxruntime-web ${environment.onnxruntimeWeb} wasm, 1 thread.` +
		`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`
);
const out = join(root, 'bench', 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ environment, models: rows }, null, '\t') + '\n');
console.log(`wrote ${out.slice(root.length + 1)}`);
