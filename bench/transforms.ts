/**
 * Transform benchmark: time of each transform + export on the 10.8 MB recognizer (median of 5), and
 * the latency ratio variant/original of each transform on each zoo model in onnxruntime-web (Node,
 * wasm, 1 thread, median of 7 runs after a warm-up). Run: node --import tsx bench/transforms.ts
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
import { loadZoo, zooFeeds, zooRunner, type Feed, type ZooName } from '../src/lib/core/transforms/test-support';
import type { Model } from '../src/lib/core/ir/types';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median run time in ms of a model over `runs` timed runs of one session, after one warm-up. */
async function timeModel(model: Model, feeds: Record<string, Feed>, runs = 5): Promise<number> {
	const session = await ort.InferenceSession.create(exportOnnx(model), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
	try {
		const inputs: Record<string, ort.Tensor> = {};
		for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor(v.dtype, v.data, v.dims);
		await session.run(inputs);
		const times: number[] = [];
		for (let i = 0; i < runs; i++) {
			const t0 = performance.now();
			await session.run(inputs);
			times.push(performance.now() - t0);
		}
		return median(times);
	} finally {
		await session.release();
	}
}

const SYNC: Record<string, (m: Model) => { model: Model }> = {
	fuse: (m) => fuse(m),
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
if (process.argv.includes('--time-only')) process.exit(0);

// The two dynamic int8 forms against the original on the recognizer's MatMuls, one session each, run
// round-robin so that load drifting on a shared box hits all three alike.
{
	const feeds = zooFeeds('rec');
	const variants: [string, Model][] = [
		['original', rec],
		['integer', quantizeDynamic(rec, { form: 'integer' }).model],
		['integer per-channel', quantizeDynamic(rec, { form: 'integer', perChannel: true }).model],
		['qdq', quantizeDynamic(rec, { form: 'qdq' }).model],
		['qdq per-channel', quantizeDynamic(rec, { form: 'qdq', perChannel: true }).model]
	];
	const sessions = await Promise.all(variants.map(([, m]) => ort.InferenceSession.create(exportOnnx(m), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' })));
	const inputs: Record<string, ort.Tensor> = {};
	for (const [k, v] of Object.entries(feeds)) inputs[k] = new ort.Tensor(v.dtype, v.data, v.dims);
	const times = variants.map((): number[] => []);
	for (let round = 0; round < 32; round++) {
		for (const [i, session] of sessions.entries()) {
			const t0 = performance.now();
			await session.run(inputs);
			if (round > 0) times[i].push(performance.now() - t0);
		}
	}
	console.log('\n## int8-dynamic forms on the recognizer, round-robin, median of 31 runs (ms)');
	for (const [i, [label]] of variants.entries()) console.log(`${label}\t${median(times[i]).toFixed(2)}\t${(median(times[i]) / median(times[0])).toFixed(2)}`);
	for (const session of sessions) await session.release();
}
if (process.argv.includes('--dynamic-only')) process.exit(0);

console.log('\n## Latency ratio variant/original (onnxruntime-web, Node, wasm, 1 thread)');
const names: ZooName[] = ['cls', 'det', 'rec', 'mel', 'embedding', 'jarvis'];
console.log(['model', 'original ms', ...Object.keys(SYNC), 'int8-static'].join('\t'));
for (const name of names) {
	const model = loadZoo(name);
	const feeds = zooFeeds(name);
	await timeModel(model, feeds, 3);
	const base = await timeModel(model, feeds, 7);
	const ratios: string[] = [];
	for (const f of Object.values(SYNC)) ratios.push((await timeModel(f(model).model, feeds, 7) / base).toFixed(2));
	try {
		const q = await quantizeStatic(fuse(model).model, zooRunner(name), { perChannel: true });
		ratios.push((await timeModel(q.model, feeds, 7) / base).toFixed(2));
	} catch (e) { ratios.push(`error: ${String(e).slice(0, 60)}`); }
	console.log([name, base.toFixed(2), ...ratios].join('\t'));
}
