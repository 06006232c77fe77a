import { describe, expect, it } from 'vitest';
import { pi3 } from '../core/devices/profiles';
import { handleTiling } from './tiling-handler';
import type { TilingConfig, TilingResult } from './protocol';

const base: TilingConfig = {
	network: { kind: 'reference', inputSize: 96 },
	layers: 4,
	grid: { rows: 1, cols: 1 },
	devices: 1,
	profile: pi3,
	linkBytesPerSecond: 12.5e6,
	gateway: false,
	ceilingBytes: 256 * 1024
};
const evaluate = async (patch: Partial<TilingConfig>, sweep = false) =>
	(await handleTiling({ id: 1, type: 'evaluate', config: { ...base, ...patch }, sweep }, () => undefined)) as Extract<TilingResult, { type: 'evaluate' }>;

describe('tiling handler', () => {
	it('1×1 on one device equals the untiled stack; 3×3 cuts peak per device and adds halo MACs', async () => {
		const one = await evaluate({});
		expect(one.report.tiled.maxPeakBytes).toBe(one.report.untiled.peakBytes);
		expect(one.report.tiled.extraMacs).toBe(0);
		const nine = await evaluate({ grid: { rows: 3, cols: 3 }, devices: 3 });
		expect(nine.report.tiled.maxPeakBytes).toBeLessThan(one.report.tiled.maxPeakBytes);
		expect(nine.report.tiled.extraMacs).toBeGreaterThan(0);
		expect(nine.report.tiles).toHaveLength(9);
	});

	it('clamps L to what the network fuses and the grid to the output map; sweeps with a choice', async () => {
		const r = await evaluate({ layers: 99, grid: { rows: 5, cols: 5 } }, true);
		expect(r.report.layers).toBe(r.maxLayers);
		const [, , h, w] = r.report.outputShape;
		expect(r.report.grid.rows).toBeLessThanOrEqual(h);
		expect(r.report.grid.cols).toBeLessThanOrEqual(w);
		expect(r.sweep?.points.length).toBeGreaterThan(0);
		expect(r.networkName).toContain('reference');
	});

	it('names what is wrong with a model it cannot tile', async () => {
		const bytes = new Uint8Array([1, 2, 3]);
		await expect(evaluate({ network: { kind: 'model', key: 'bad', bytes, fileName: 'bad.onnx', dims: {} } })).rejects.toThrow();
	});
});

describe('tiling handler: measure', () => {
	it('the stitched 3×3 tiles give the untiled stack output in onnxruntime-web', async () => {
		const config = { ...base, grid: { rows: 3, cols: 3 } };
		const run = async (variant: 'untiled' | 'tiled') =>
			((await handleTiling({ id: 2, type: 'measure', config, variant, warmup: 0, runs: 1, wasmPaths: '' }, () => undefined)) as Extract<TilingResult, { type: 'measure' }>).run;
		const untiled = await run('untiled');
		const tiled = await run('tiled');
		expect(tiled.output.length).toBe(untiled.output.length);
		const { maxAbsDiff } = await import('../state/tiling.svelte');
		expect(maxAbsDiff(untiled.output, tiled.output)).toBeLessThanOrEqual(1e-4);
		expect(tiled.latency.medianMs).toBeGreaterThan(0);
	}, 60_000);
});
