import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { browserProfile, deviceById, deviceProfiles, pi3, pi4_2gb, ramBytes } from './profiles';
import { validateProfile } from './schema';
import { estimateLatency } from './latency';
import { estimateEnergy } from './energy';
import type { OpCost } from './op-cost';
import type { DeviceProfile, Figure } from './types';

const SEED = 7;

function figures(value: unknown, path = ''): [string, Figure][] {
	if (!value || typeof value !== 'object') return [];
	const o = value as Record<string, unknown>;
	if (typeof o.value === 'number') return [[path, o as unknown as Figure]];
	return Object.entries(o).flatMap(([k, v]) => figures(v, `${path}.${k}`));
}

describe('device profiles', () => {
	it('cover the devices issue 4 asks for', () => {
		const ids = deviceProfiles.map((p) => p.id);
		for (const id of ['cortex-m4', 'cortex-m7', 'esp32-s3', 'pi-zero-2w', 'pi3', 'pi4-1gb', 'pi4-2gb', 'jetson-nano', 'browser']) expect(ids).toContain(id);
		expect(ramBytes(deviceById('m4')!)).toBe(256 * 1024);
		expect(ramBytes(deviceById('esp32-s3')!)).toBe(512 * 1024 + 8 * 1024 * 1024);
	});

	for (const profile of deviceProfiles) {
		it(`${profile.id}: every figure carries a source or a derivation and the validator accepts it`, () => {
			const all = figures(profile);
			expect(all.length).toBeGreaterThanOrEqual(15);
			for (const [path, f] of all) expect(Boolean(f.source || f.derivation), path).toBe(true);
			expect(validateProfile(JSON.parse(JSON.stringify(profile)))).toMatchObject({ ok: true });
		});
	}

	it('the validator rejects a bare number and names the field', () => {
		const edited = JSON.parse(JSON.stringify(pi4_2gb));
		edited.staticPowerWatts = { value: 3 };
		edited.throughputMacsPerSecond.int8.value = -1;
		const result = validateProfile(edited);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.issues.some((i) => i.startsWith('staticPowerWatts'))).toBe(true);
			expect(result.issues.some((i) => i.startsWith('throughputMacsPerSecond.int8.value'))).toBe(true);
		}
	});

	it('browser calibration is the measured rate', () => {
		const p = browserProfile({ macs: 2e9, elapsedSeconds: 0.5, capabilities: 'wasm simd' });
		expect(p.throughputMacsPerSecond.float32.value).toBe(4e9);
		expect(p.throughputMacsPerSecond.float32.derivation).toContain('wasm simd');
		expect(() => browserProfile({ macs: 1, elapsedSeconds: 0, capabilities: '' })).toThrow(/calibration/);
	});
});

const op = fc.record({
	macs: fc.integer({ min: 0, max: 1e9 }),
	weightBytes: fc.integer({ min: 0, max: 1e7 }),
	activationBytes: fc.integer({ min: 0, max: 1e7 })
});

function opsFrom(rows: { macs: number; weightBytes: number; activationBytes: number }[], dtype: OpCost['dtype'] = 'float32'): OpCost[] {
	return rows.map((r, i) => ({ name: `n${i}`, opType: 'Conv', dtype, ...r }));
}

function estimate(ops: OpCost[], p: DeviceProfile, loadBytes = 0) {
	const latency = estimateLatency(ops, p, { loadBytes });
	return { latency, energy: estimateEnergy(ops, p, latency, { loadBytes }) };
}

describe('estimates are monotone', () => {
	it('more MACs or bytes never take less time or energy, on every profile', () => {
		fc.assert(
			fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), fc.nat({ max: 7 }), fc.integer({ min: 1, max: 1e8 }), (rows, which, extra) => {
				for (const p of deviceProfiles) {
					const base = estimate(opsFrom(rows), p);
					const more = rows.map((r, i) => (i === which % rows.length ? { ...r, macs: r.macs + extra, activationBytes: r.activationBytes + extra } : r));
					const bigger = estimate(opsFrom(more), p);
					expect(bigger.latency.totalSeconds).toBeGreaterThanOrEqual(base.latency.totalSeconds);
					expect(bigger.energy.totalJoules).toBeGreaterThan(base.energy.totalJoules);
				}
			}),
			{ seed: SEED, numRuns: 50 }
		);
	});

	it('a slower device takes longer: Pi 3 vs Pi 4 on compute-bound work', () => {
		const ops = opsFrom([{ macs: 3e8, weightBytes: 1000, activationBytes: 1000 }]);
		expect(estimate(ops, pi3).latency.totalSeconds).toBeGreaterThan(estimate(ops, pi4_2gb).latency.totalSeconds);
	});

	it('int8 costs less energy than fp32 where the device has int8 throughput', () => {
		for (const p of deviceProfiles) {
			const rows = [{ macs: 5e7, weightBytes: 4e5, activationBytes: 4e5 }];
			const fp32 = estimate(opsFrom(rows, 'float32'), p);
			const int8 = estimate(opsFrom(rows.map((r) => ({ ...r, weightBytes: r.weightBytes / 4, activationBytes: r.activationBytes / 4 })), 'int8'), p);
			expect(int8.energy.totalJoules, p.id).toBeLessThan(fp32.energy.totalJoules);
		}
	});

	it('loading weights from storage adds latency + bytes / bandwidth', () => {
		const ops = opsFrom([{ macs: 1e6, weightBytes: 0, activationBytes: 0 }]);
		const cold = estimate(ops, pi4_2gb, 50e6);
		expect(cold.latency.loadSeconds).toBeCloseTo(1e-3 + 1, 9);
		expect(cold.latency.formula).toContain('max(');
		expect(Object.keys(cold.latency.constants).some((k) => k.includes('microSD'))).toBe(true);
	});
});
