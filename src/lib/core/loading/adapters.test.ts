import { describe, expect, it } from 'vitest';
import { deviceById } from '../devices/profiles';
import { deviceFromProfile, layersFromSummary } from './adapters';
import { simulate } from './simulator';

const row = (name: string, opType: string, weightBytes: number, macs: number, outputBytes: number) => ({ name, opType, weightBytes, macs, outputBytes });

describe('layersFromSummary', () => {
	const summary = {
		layers: [
			row('cast', 'Cast', 0, 0, 40),
			row('conv1', 'Conv', 100, 1000, 80),
			row('relu1', 'Relu', 0, 0, 80),
			row('conv2', 'Conv', 200, 2000, 20),
			row('add', 'Add', 0, 0, 30)
		]
	};
	it('folds weightless nodes into the weighted layer before them (leading ones into the first)', () => {
		expect(layersFromSummary(summary).map((l) => [l.name, l.weightBytes, l.macs, l.outputBytes])).toEqual([
			['conv1', 100, 1000, 80],
			['conv2', 200, 2000, 30]
		]);
	});
	it('keeps one layer per node when asked, and conserves weights and MACs either way', () => {
		const all = layersFromSummary(summary, { mergeWeightless: false });
		expect(all).toHaveLength(5);
		const sum = (ls: typeof all, k: 'weightBytes' | 'macs') => ls.reduce((s, l) => s + (l[k] ?? 0), 0);
		expect(sum(all, 'weightBytes')).toBe(sum(layersFromSummary(summary), 'weightBytes'));
		expect(sum(all, 'macs')).toBe(sum(layersFromSummary(summary), 'macs'));
	});
});

describe('deviceFromProfile', () => {
	it('maps a built-in profile to storage, compute and energy terms', () => {
		const profile = deviceById('pi3')!;
		const device = deviceFromProfile(profile);
		expect(device.storageBandwidthBytesPerSecond).toBe(profile.storage.readBandwidthBytesPerSecond.value);
		expect(device.storageLatencyMs).toBeCloseTo(profile.storage.latencySeconds.value * 1000);
		expect(device.macsPerSecond).toBe(profile.throughputMacsPerSecond.float32.value);
		expect(device.macsPerSecondByDtype?.int8).toBe(profile.throughputMacsPerSecond.int8.value);
		// A 1 MB layer of 1 GMAC on the device: read time from the card, compute from the MAC rate.
		const r = simulate(
			{ models: [{ id: 'm', layers: [{ name: 'l', weightBytes: 1e6, outputBytes: 0, macs: 1e9 }] }], tasks: [{ id: 't', stream: 's', arrivalMs: 0, stages: ['m'], priority: 0 }] },
			device,
			{ ceilingBytes: Infinity, policy: { kind: 'linear' }, cache: 'none', scheduler: 'fifo' }
		);
		const [load, exec] = r.intervals;
		expect(load.endMs - load.startMs).toBeCloseTo(device.storageLatencyMs + (1e6 / device.storageBandwidthBytesPerSecond) * 1000);
		expect(exec.endMs - exec.startMs).toBeCloseTo((1e9 / device.macsPerSecond) * 1000);
		expect(r.energyMillijoules).toBeGreaterThan(0);
	});
});
