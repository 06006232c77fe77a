/**
 * Transform benchmark: time (wall and CPU) of each transform + export on the 10.8 MB recognizer
 * (median of 5); the dynamic int8 graph forms compared; and the latency ratio variant/original of
 * each transform on each zoo model in onnxruntime-web (Node, wasm, 1 thread, sessions run
 * round-robin). Run: node --import tsx bench/transforms.ts [--time-only | --dynamic-only]
 */
import { exportOnnx } from '../src/lib/core/formats/onnx/export';
import { fuse } from '../src/lib/core/transforms/fuse';
import { pruneChannels } from '../src/lib/core/transforms/prune-channels';
import { pruneMagnitude, pruneNM } from '../src/lib/core/transforms/prune-magnitude';
import { quantizeDynamic } from '../src/lib/core/transforms/quantize-dynamic';
import { quantizeFp16 } from '../src/lib/core/transforms/quantize-fp16';
import { quantizeInt8Weights } from '../src/lib/core/transforms/quantize-int8';
import { quantizeStatic } from '../src/lib/core/transforms/quantize-static';
import { shareWeights } from '../src/lib/core/transforms/share-kmeans';
import * as ort from 'onnxruntime-web';
import { buildModel, feed, loadZoo, seededValues, tensor, zooFeeds, zooRunner, type Feed, type ZooName } from '../src/lib/core/transforms/test-support';
import type { Model } from '../src/lib/core/ir/types';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Median run time in ms of each model, one session each, run round-robin (`rounds` rounds after a
 * warm-up round) so that load drifting on a shared box hits every variant alike; separate timing
 * loops per variant disagreed 2–5× between repetitions here. The time is the process's CPU time
 * (user + system) over `session.run`: with one wasm thread on the main thread it is the kernel
 * time, and other jobs on the box inflate it far less than wall time.
 */
async function roundRobin(models: Model[], feeds: Record<string, Feed>, rounds: number): Promise<number[]> {
	const sessions = [];
	for (const m of models) sessions.push(await ort.InferenceSession.create(exportOnnx(m), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }));
	try {
		const inputs: Record<string, ort.Tensor> = {};
		for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor(v.dtype, v.data, v.dims);
		const times = models.map((): number[] => []);
		for (let round = 0; round <= rounds; round++) {
			for (const [i, session] of sessions.entries()) {
				const c0 = process.cpuUsage();
				await session.run(inputs);
				const c = process.cpuUsage(c0);
				if (round > 0) times[i].push((c.user + c.system) / 1000);
			}
		}
		return times.map(median);
	} finally {
		for (const session of sessions) await session.release();
	}
}

const SYNC: Record<string, (m: Model) => { model: Model }> = {
	fuse: (m) => fuse(m),
	'fuse-fusedconv': (m) => fuse(m, { fusedConv: true }),
	fp16: (m) => quantizeFp16(m),
	'int8-weight': (m) => quantizeInt8Weights(m, { perChannel: true }),
	'prune-0.5': (m) => pruneMagnitude(m, { sparsity: 0.5 }),
	'prune-2:4': (m) => pruneNM(m),
	'prune-channels-0.25': (m) => pruneChannels(m, { sparsity: 0.25 }),
	'share-4': (m) => shareWeights(m, { bits: 4 }),
	'int8-dynamic': (m) => quantizeDynamic(m, { form: 'integer' }),
	'int8-dynamic-qdq': (m) => quantizeDynamic(m, { form: 'qdq' })
};

const rec = loadZoo('rec');
const totals = { wall: 0, cpu: 0 };
// CPU time (process user + system) is reported beside wall time: on a shared box wall time
// mostly measures the other jobs, CPU time much less so.
console.log('## Transform + export time on the recognizer (median of 5 after a warm-up, ms)');
console.log('transform\twall\tcpu');
for (const [name, f] of Object.entries(SYNC)) {
	exportOnnx(f(rec).model);
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let i = 0; i < 5; i++) {
		const c0 = process.cpuUsage();
		const t0 = performance.now();
		exportOnnx(f(rec).model);
		wall.push(performance.now() - t0);
		const c = process.cpuUsage(c0);
		cpu.push((c.user + c.system) / 1000);
	}
	totals.wall += median(wall);
	totals.cpu += median(cpu);
	console.log(`${name}\t${median(wall).toFixed(1)}\t${median(cpu).toFixed(1)}`);
}
console.log(`all\t${totals.wall.toFixed(1)}\t${totals.cpu.toFixed(1)}`);
{
	// One pipeline run with a step of each kind and one export, as the page and `tightfit optimize` do.
	const pipeline = (m: Model) => shareWeights(pruneMagnitude(fuse(m).model, { sparsity: 0.5 }).model, { bits: 4 }).model;
	const run = () => exportOnnx(quantizeInt8Weights(pipeline(rec), { perChannel: true }).model);
	run();
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let i = 0; i < 5; i++) {
		const c0 = process.cpuUsage();
		const t0 = performance.now();
		run();
		wall.push(performance.now() - t0);
		const c = process.cpuUsage(c0);
		cpu.push((c.user + c.system) / 1000);
	}
	console.log(`pipeline fuse→prune-0.5→share-4→int8-weight→export\t${median(wall).toFixed(1)}\t${median(cpu).toFixed(1)}`);
}
if (process.argv.includes('--time-only')) process.exit(0);

/**
 * The dynamic int8 forms against the original: on the recognizer (whose MatMuls are a small share of
 * its time) and on a MatMul-only stack (x[64,512] through 512→2048→512→2048 with Relus).
 */
async function compareDynamicForms(label: string, model: Model, feeds: Record<string, Feed>): Promise<void> {
	const variants: [string, Model][] = [
		['original', model],
		['integer', quantizeDynamic(model, { form: 'integer' }).model],
		['integer per-channel', quantizeDynamic(model, { form: 'integer', perChannel: true }).model],
		['qdq', quantizeDynamic(model, { form: 'qdq' }).model],
		['qdq per-channel', quantizeDynamic(model, { form: 'qdq', perChannel: true }).model]
	];
	const times = await roundRobin(variants.map(([, m]) => m), feeds, 31);
	console.log(`\n## int8-dynamic forms on ${label}, round-robin, median CPU ms of 31 runs, ratio`);
	for (const [i, [name]] of variants.entries()) console.log(`${name}\t${times[i].toFixed(2)}\t${(times[i] / times[0]).toFixed(2)}`);
}

await compareDynamicForms('the recognizer', rec, zooFeeds('rec'));
const widths = [512, 2048, 512, 2048];
const stack = buildModel(
	widths.slice(1).flatMap((_, i) => [
		{ op: 'MatMul', inputs: [i ? `r${i - 1}` : 'x', `w${i}`], outputs: [`m${i}`] },
		{ op: 'Relu', inputs: [`m${i}`], outputs: [`r${i}`] }
	]),
	{ x: [64, 512] }, [`r${widths.length - 2}`],
	widths.slice(1).map((n, i) => tensor(`w${i}`, [widths[i], n], seededValues(widths[i] * n, i + 1, -0.05, 0.05)))
);
await compareDynamicForms('a MatMul stack', stack, { x: feed([64, 512]) });
if (process.argv.includes('--dynamic-only')) process.exit(0);

console.log('\n## Latency ratio variant/original (onnxruntime-web, Node, wasm, 1 thread, round-robin, median CPU time of 15)');
const names: ZooName[] = ['cls', 'det', 'rec', 'mel', 'embedding', 'jarvis'];
console.log(['model', 'original ms', ...Object.keys(SYNC), 'int8-static', 'int8-static+depthwise'].join('\t'));
for (const name of names) {
	const model = loadZoo(name);
	const feeds = zooFeeds(name);
	const variants = [model, ...Object.values(SYNC).map((f) => f(model).model)];
	let staticNote = '';
	try {
		// Per channel after fusion; by default depthwise Convs stay float, the last column quantizes them too.
		for (const depthwise of [false, true]) variants.push((await quantizeStatic(fuse(model).model, zooRunner(name), { perChannel: true, depthwise })).model);
	} catch (e) { staticNote = `error: ${String(e).slice(0, 60)}`; }
	const [base, ...rest] = await roundRobin(variants, feeds, 15);
	const ratios = rest.map((t) => (t / base).toFixed(2));
	if (staticNote) ratios.push(staticNote);
	console.log([name, base.toFixed(2), ...ratios].join('\t'));
}
