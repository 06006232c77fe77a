import { describe, expect, it } from 'vitest';
import { pi3, pi4_2gb } from '../core/devices/profiles';
import { handleTiling } from './tiling-handler';
import type { TilingConfig, TilingResult } from './protocol';

const base: TilingConfig = {
	network: { kind: 'reference', inputSize: 96 },
	from: 0,
	layers: 4,
	grid: { rows: 1, cols: 1 },
	devices: 1,
	profile: pi3,
	profiles: [],
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

	it('starts after layer 0, keeping L, and clamps a + L to what the network fuses', async () => {
		const r = await evaluate({ from: 2, layers: 3, grid: { rows: 2, cols: 2 } }, true);
		expect([r.report.first, r.report.layers]).toEqual([2, 3]);
		expect(r.report.inputShape).toEqual([1, 16, 48, 48]);
		expect(r.report.prefix?.layers).toBe(2);
		expect(r.report.prefix?.macs).toBeGreaterThan(0);
		expect(r.starts).toContain(2);
		expect(r.sweep?.points.every((p) => p.layers <= r.maxLayers - 2)).toBe(true);
		const deep = await evaluate({ from: 10, layers: 99 });
		expect(deep.report.first + deep.report.layers).toBe(deep.maxLayers);
	});

	it('each device runs on its own profile; the faster one takes more tiles', async () => {
		const r = await evaluate({ grid: { rows: 3, cols: 3 }, devices: 3, profiles: [pi3, pi3, pi4_2gb], gateway: true, linkBytesPerSecond: 1e9 });
		expect(r.report.deviceIds).toEqual(['pi3', 'pi3', 'pi4-2gb']);
		expect(r.report.assign).toBe('eft');
		const count = (d: number) => r.report.tiles.filter((t) => t.device === d).length;
		expect(count(2)).toBeGreaterThan(count(0));
		const same = await evaluate({ grid: { rows: 3, cols: 3 }, devices: 3, profiles: [pi3, pi3, pi3] });
		const plain = await evaluate({ grid: { rows: 3, cols: 3 }, devices: 3 });
		expect({ ...same.report }).toEqual({ ...plain.report });
	});

	it('names what is wrong with a model it cannot tile', async () => {
		const bytes = new Uint8Array([1, 2, 3]);
		await expect(evaluate({ network: { kind: 'model', key: 'bad', bytes, fileName: 'bad.onnx', dims: {} } })).rejects.toThrow();
	});
});

describe('tiling handler: measure', () => {
	it.each([0, 2])('the stitched 3×3 tiles (from layer %i) give the untiled stack output in onnxruntime-web', async (from) => {
		const config = { ...base, from, grid: { rows: 3, cols: 3 } };
		const run = async (variant: 'untiled' | 'tiled') =>
			((await handleTiling({ id: 2, type: 'measure', config, variant, warmup: 0, runs: 1, wasmPaths: '' }, () => undefined)) as Extract<TilingResult, { type: 'measure' }>).run;
		const untiled = await run('untiled');
		const tiled = await run('tiled');
		expect(tiled.output.length).toBe(untiled.output.length);
		expect(untiled.outputShape).toEqual(from ? [1, 64, 12, 12] : [1, 32, 24, 24]);
		const { maxAbsDiff } = await import('../state/tiling.svelte');
		expect(maxAbsDiff(untiled.output, tiled.output)).toBeLessThanOrEqual(1e-4);
		expect(tiled.latency.medianMs).toBeGreaterThan(0);
	}, 60_000);
});
