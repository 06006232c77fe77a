import { describe, expect, it } from 'vitest';
import { hashOfJson } from './arbitraries.ts';
import { decodeScenario } from './codec.ts';
import { DEFAULT_OPEN_CELLS } from './defaults.ts';
import { migrate, MIGRATIONS, OLDEST_VERSION, type Migration } from './migrations.ts';
import { SCENARIO_VERSION } from './schema.ts';
import { decodeBody } from './wire.ts';
import { Notices } from './notices.ts';

/**
 * A made-up history to exercise the chain: v0 spelled quantization as a top-level `quant` with numbers
 * for bits, and v1 is today's format. v0 was never released, so this chain lives only in the test.
 */
const FABRICATED: Record<number, Migration> = {
	0: (wire) => {
		const w = { ...(wire as Record<string, unknown>) };
		const bits = w.quant;
		delete w.quant;
		if (bits === 8) w.t = { q: 'int8-weight' };
		else if (bits === 16) w.t = { q: 'fp16' };
		return w;
	}
};

describe('migration chain', () => {
	it('covers every version from the oldest to the current one', () => {
		for (let version = OLDEST_VERSION; version < SCENARIO_VERSION; version++) {
			expect(MIGRATIONS[version], `migration from v${version}`).toBeTypeOf('function');
		}
	});

	it('the current version passes through unchanged', () => {
		const wire = { r: 3 };
		expect(migrate(wire, SCENARIO_VERSION)).toEqual({ ok: true, wire });
	});

	it('a fabricated v0 shape migrates to a v1 scenario', () => {
		const result = migrate({ quant: 8, r: 4 }, 0, FABRICATED, 0, 1);
		expect(result).toEqual({ ok: true, wire: { t: { q: 'int8-weight' }, r: 4 } });
		const notices = new Notices();
		const body = decodeBody(result.ok ? result.wire : null, notices);
		expect(body.transforms.quantize).toBe('int8-weight');
		expect(body.seed).toBe(4);
		expect(notices.toArray()).toEqual([]);
	});

	it('runs several steps in order', () => {
		const chain: Record<number, Migration> = {
			1: (w) => [...(w as string[]), 'to2'],
			2: (w) => [...(w as string[]), 'to3']
		};
		expect(migrate([], 1, chain, 1, 3)).toEqual({ ok: true, wire: ['to2', 'to3'] });
		expect(migrate([], 2, chain, 1, 3)).toEqual({ ok: true, wire: ['to3'] });
	});

	it('reports newer, too-old, missing and throwing steps instead of throwing', () => {
		expect(migrate({}, 5, FABRICATED, 0, 1)).toEqual({ ok: false, reason: 'newer' });
		expect(migrate({}, -1, FABRICATED, 0, 1)).toEqual({ ok: false, reason: 'unknown' });
		expect(migrate({}, 0, {}, 0, 1)).toEqual({ ok: false, reason: 'unknown' });
		expect(migrate({}, 0, { 0: () => { throw new Error('bad'); } }, 0, 1)).toEqual({ ok: false, reason: 'failed' });
		expect(migrate({}, Number.NaN)).toEqual({ ok: false, reason: 'unknown' });
	});

	it('v1 → v2: a v1 link without cells keeps only the model cell open, here and in its baseline', async () => {
		const { scenario, notices } = await decodeScenario(await hashOfJson('{"r":3,"b":{"r":4}}', 1));
		expect(notices).toEqual([]);
		expect(scenario.cells).toEqual(['model']);
		expect(scenario.baseline?.cells).toEqual(['model']);
		const listed = await decodeScenario(await hashOfJson('{"x":["model","arena"],"b":{"x":[]}}', 1));
		expect(listed.scenario.cells).toEqual(['model', 'arena']);
		expect(listed.scenario.baseline?.cells).toEqual([]);
		expect(MIGRATIONS[1]('junk')).toBe('junk');
		expect(MIGRATIONS[1]({ b: 5 })).toEqual({ b: 5, x: ['model'] });
	});

	it('v2 links without cells open every cell of the notebook as it was then', async () => {
		const { scenario } = await decodeScenario(await hashOfJson('{"r":3}', 2));
		expect(scenario.cells).toEqual([...DEFAULT_OPEN_CELLS]);
		expect(scenario.cells).toContain('model');
	});

	it('v2 → v3: a v2 link without tiling layers, grid or link keeps version 2\'s 1 layer, 1×1 and 1 Mbit/s', async () => {
		const { scenario, notices } = await decodeScenario(await hashOfJson('{"r":3,"g":{"d":2},"b":{"r":4}}', 2));
		expect(notices).toEqual([]);
		expect(scenario.tiling).toMatchObject({ layers: [0, 0], grid: [1, 1], devices: 2, linkBitsPerSecond: 1e6 });
		expect(scenario.baseline?.tiling).toMatchObject({ layers: [0, 0], grid: [1, 1], linkBitsPerSecond: 1e6 });
		// Fields version 3 added take defaults that match what version 2 pages did.
		expect(scenario.tiling).toMatchObject({ network: 'reference', gateway: true, profiles: [] });
		expect(scenario.workload.devices).toBe(1);
		const said = await decodeScenario(await hashOfJson('{"g":{"l":[1,4],"g":[2,3],"b":5}}', 2));
		expect(said.scenario.tiling).toMatchObject({ layers: [1, 4], grid: [2, 3], linkBitsPerSecond: 5 });
		expect(MIGRATIONS[2]('junk')).toBe('junk');
		expect(MIGRATIONS[2]({ g: 7 })).toEqual({ g: 7 });
	});

	it('v3 links without tiling fields get 8 layers, 3×3 and 100 Mbit/s', async () => {
		const { scenario } = await decodeScenario(await hashOfJson('{"r":3}', 3));
		expect(scenario.tiling).toMatchObject({ layers: [0, 7], grid: [3, 3], linkBitsPerSecond: 1e8 });
	});

	it('a link of a version older than the oldest gives defaults and a notice', async () => {
		const { notices } = await decodeScenario(await hashOfJson('{"r":3}', 0));
		expect(notices).toHaveLength(1);
		expect(notices[0]).toContain('unknown scenario format version');
	});
});
