import { describe, expect, it } from 'vitest';
import { cortexM7, pi3, pi4_2gb, ramBytes } from '../devices/profiles';
import { tensorByteLength } from '../ir/dtype';
import { evaluateTiling } from './evaluate';
import { gatewayCost, mapTier } from './gateway';
import { tileCost } from './metrics';
import { partitionStack } from './partition';
import { yolov2TinyReference } from './reference-net';
import { scheduleTiles } from './schedule';
import { fusedStack } from './stack';

const link = { linkBytesPerSecond: 12.5e6 };
const stackAt = (inputSize: number) => fusedStack(yolov2TinyReference({ inputSize, channelDivisor: 4 }), { layers: 8 });
const costsOf = (stack: ReturnType<typeof stackAt>) => partitionStack(stack, { rows: 3, cols: 3 }).tiles.map((t) => tileCost(stack, t));

describe("the gateway's merge and memory", () => {
	it('merge time is 2 × output bytes over the RAM tier bandwidth, so it grows with the output map', () => {
		const small = stackAt(224);
		const large = stackAt(416);
		const a = gatewayCost(small, costsOf(small), pi3);
		const b = gatewayCost(large, costsOf(large), pi3);
		const [n, c, h, w] = large.shapes[large.output];
		expect(b.mergeBytes).toBe(tensorByteLength(large.dtype, [n, c, h, w]));
		expect(b.mergeBytes).toBe(b.outputMapBytes);
		expect(b.mergeBytes).toBeGreaterThan(a.mergeBytes);
		expect(b.mergeSeconds).toBeGreaterThan(a.mergeSeconds);
		expect(b.mergeSeconds).toBeCloseTo((2 * b.mergeBytes) / mapTier(pi3).bandwidthBytesPerSecond.value, 15);
		// A faster RAM merges the same bytes sooner; the figure used is the profile's, with its source.
		expect(gatewayCost(large, costsOf(large), pi4_2gb).mergeSeconds).toBeLessThan(b.mergeSeconds);
		expect(Object.values(b.constants).every((f) => f.source || f.derivation)).toBe(true);
	});

	it('adds the merge after the last block arrives; without a gateway nothing changes', () => {
		const stack = stackAt(416);
		const costs = costsOf(stack);
		const options = { devices: 3, profile: pi3, ...link };
		const off = evaluateTiling(stack, { rows: 3, cols: 3 }, options);
		expect(evaluateTiling(stack, { rows: 3, cols: 3 }, { ...options, gateway: false })).toEqual(off);
		expect(off.gatewayCost).toBeNull();
		expect(off.tiled.latencySeconds).toBe(scheduleTiles(costs, options).latencySeconds);
		const on = evaluateTiling(stack, { rows: 3, cols: 3 }, { ...options, gateway: true });
		const arrived = scheduleTiles(costs, { ...options, gateway: true }).latencySeconds;
		expect(on.gatewayCost!.mergeSeconds).toBeGreaterThan(0);
		expect(on.tiled.latencySeconds).toBeCloseTo(arrived + on.gatewayCost!.mergeSeconds, 15);
		expect(on.gatewayCost!.peakBytes).toBe(on.gatewayCost!.inputMapBytes + on.gatewayCost!.outputMapBytes);
		expect(on.gatewayCost!.fits).toBe(true);
	});

	it('a gateway whose RAM is below the input map plus the output map does not fit', () => {
		const stack = fusedStack(yolov2TinyReference({ inputSize: 416 }), { layers: 8 });
		const r = evaluateTiling(stack, { rows: 3, cols: 3 }, { devices: 2, profile: cortexM7, profiles: [pi3, pi3], ...link, gateway: true });
		const g = r.gatewayCost!;
		expect(g.deviceId).toBe('cortex-m7');
		expect(g.ramBytes).toBe(ramBytes(cortexM7));
		expect(g.inputMapBytes + g.outputMapBytes).toBeGreaterThan(g.ramBytes);
		expect(g.fits).toBe(false);
		// The prefix the gateway runs counts when it is larger than the two maps.
		const later = fusedStack(yolov2TinyReference({ inputSize: 416 }), { from: 2, layers: 4 });
		const p = evaluateTiling(later, { rows: 2, cols: 2 }, { devices: 2, profile: pi3, ...link, gateway: true });
		expect(p.gatewayCost!.peakBytes).toBe(Math.max(p.prefix!.peakBytes, p.gatewayCost!.inputMapBytes + p.gatewayCost!.outputMapBytes));
	});
});
