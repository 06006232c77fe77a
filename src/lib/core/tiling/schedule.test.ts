import { describe, expect, it } from 'vitest';
import { cortexM7, pi3, pi4_2gb, ramBytes } from '../devices/profiles';
import { evaluateTiling } from './evaluate';
import { tileCost, untiledCost } from './metrics';
import { partitionStack } from './partition';
import { yolov2TinyReference } from './reference-net';
import { scheduleTiles, tileSeconds, type Assignment } from './schedule';
import { fusedStack } from './stack';

const stack = fusedStack(yolov2TinyReference({ inputSize: 416, channelDivisor: 4 }), { layers: 8 });
const costs = partitionStack(stack, { rows: 5, cols: 5 }).tiles.map((t) => tileCost(stack, t));
const link = { linkBytesPerSecond: 12.5e6 };

/** The least-loaded assignment of tiles, largest first, as `greedy` was before devices could differ. */
function leastLoaded(seconds: number[], devices: number): number[] {
	const load = new Array<number>(devices).fill(0);
	const assignment = new Array<number>(seconds.length).fill(0);
	for (const [s, t] of seconds.map((x, i) => [x, i]).sort((a, b) => b[0] - a[0] || a[1] - b[1])) {
		const d = load.indexOf(Math.min(...load));
		assignment[t] = d;
		load[d] += s;
	}
	return assignment;
}

describe('tiles over devices of different speeds', () => {
	it('identical profiles give the same schedule as one profile; greedy is still least-loaded; the default is round-robin', () => {
		for (const assign of ['round-robin', 'greedy', 'eft'] as Assignment[]) {
			for (const gateway of [false, true]) {
				const one = scheduleTiles(costs, { devices: 3, profile: pi3, ...link, gateway, assign });
				const listed = scheduleTiles(costs, { devices: 3, profile: pi4_2gb, profiles: [pi3, pi3, pi3], ...link, gateway, assign });
				expect(listed).toEqual(one);
			}
		}
		const greedy = scheduleTiles(costs, { devices: 3, profile: pi3, ...link, assign: 'greedy' });
		expect(greedy.assignment).toEqual(leastLoaded(costs.map((c) => tileSeconds(c, pi3)), 3));
		const plain = scheduleTiles(costs, { devices: 3, profile: pi3, ...link });
		expect(plain.assign).toBe('round-robin');
		expect(plain.assignment).toEqual(costs.map((_, t) => t % 3));
	});

	it('a faster device takes more tiles, and the mixed cluster is faster than its slow devices alone', () => {
		expect(tileSeconds(costs[12], pi4_2gb)).toBeLessThan(tileSeconds(costs[12], pi3));
		const fastLink = { linkBytesPerSecond: 1e9, gateway: true };
		const mixed = scheduleTiles(costs, { devices: 3, profile: pi3, profiles: [pi3, pi3, pi4_2gb], ...fastLink });
		expect(mixed.assign).toBe('eft');
		const count = (d: number) => mixed.assignment.filter((a) => a === d).length;
		expect(count(2)).toBeGreaterThan(count(0));
		expect(count(2)).toBeGreaterThan(count(1));
		const greedy = scheduleTiles(costs, { devices: 3, profile: pi3, profiles: [pi3, pi3, pi4_2gb], ...fastLink, assign: 'greedy' });
		expect(greedy.assignment.filter((a) => a === 2).length).toBeGreaterThan(greedy.assignment.filter((a) => a === 0).length);
		const slow = scheduleTiles(costs, { devices: 3, profile: pi3, ...fastLink });
		expect(mixed.latencySeconds).toBeLessThan(slow.latencySeconds);
		// Round-robin ignores speed: the Pi 4 idles while the Pi 3s finish.
		const rr = scheduleTiles(costs, { devices: 3, profile: pi3, profiles: [pi3, pi3, pi4_2gb], ...fastLink, assign: 'round-robin' });
		expect(mixed.latencySeconds).toBeLessThan(rr.latencySeconds);
		// Each device's compute is its own tiles on its own profile; its link time adds up to the link's.
		for (const s of [mixed, rr]) {
			s.computeSecondsPerDevice.forEach((sec, d) => {
				const p = d === 2 ? pi4_2gb : pi3;
				const own = costs.filter((_, t) => s.assignment[t] === d).reduce((a, c) => a + tileSeconds(c, p), 0);
				expect(sec).toBeCloseTo(own, 12);
			});
			expect(s.transferSecondsPerDevice.reduce((a, b) => a + b, 0)).toBeCloseTo(s.linkBusySeconds, 12);
			expect(Math.max(...s.finishSecondsPerDevice)).toBe(s.latencySeconds);
		}
	});

	it('K = 1 and a 1×1 grid equal the untiled stack on that device', () => {
		const r = evaluateTiling(stack, { rows: 1, cols: 1 }, { devices: 1, profile: pi3, profiles: [pi4_2gb], ...link });
		const untiled = untiledCost(stack);
		expect(r.deviceIds).toEqual(['pi4-2gb']);
		expect(r.tiled.maxPeakBytes).toBe(untiled.peakBytes);
		expect(r.tiled.macs).toBe(untiled.macs);
		expect(r.tiled.bytesSent).toBe(0);
		expect(r.tiled.latencySeconds).toBeCloseTo(tileSeconds(untiled, pi4_2gb), 12);
		expect(r.untiled.latencySeconds).toBeCloseTo(tileSeconds(untiled, pi3), 12);
	});

	it("checks each device's peak and the weights against its own RAM", () => {
		const big = fusedStack(yolov2TinyReference({ inputSize: 416 }), { layers: 8 });
		const r = evaluateTiling(big, { rows: 3, cols: 3 }, { devices: 2, profile: pi3, profiles: [cortexM7, pi3], ...link, assign: 'round-robin' });
		expect(r.deviceIds).toEqual(['cortex-m7', 'pi3']);
		expect(r.ramBytesPerDevice).toEqual([ramBytes(cortexM7), ramBytes(pi3)]);
		expect(r.tiled.peakBytesPerDevice[0] + r.weightBytes).toBeGreaterThan(ramBytes(cortexM7));
		expect(r.fitsPerDevice).toEqual([false, true]);
	});
});
