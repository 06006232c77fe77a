/**
 * Tiles over K devices joined by one shared link (DeepThings' Wi-Fi cluster; Naveen & Kounte's five
 * Raspberry Pis and a gateway). A source holds the input image — the gateway when there is one, else
 * device 0 — sends each device the crop of its next tile when the device is free, and collects the
 * output blocks. Transfers take the link one at a time, each in the first free gap after it is ready; a tile that stays on
 * the source costs no transfer. Modelled latency is when the last output block reaches the source.
 */
import { estimateLatency } from '../devices/latency';
import type { DeviceProfile } from '../devices/types';
import type { TileCost } from './metrics';

export type Assignment = 'round-robin' | 'greedy';

export interface ScheduleOptions {
	/** Devices that compute tiles (K ≥ 1), all of one profile. */
	devices: number;
	profile: DeviceProfile;
	/** Bytes per second of the shared link (100 Mbit/s Ethernet = 12.5e6). */
	linkBytesPerSecond: number;
	/** Seconds added to every transfer (default 0). */
	linkLatencySeconds?: number;
	/** A separate gateway holds the input and merges; every tile's crop and output cross the link. */
	gateway?: boolean;
	/** round-robin: tile t on device t mod K; greedy: each tile, largest first, on the least-loaded device. */
	assign?: Assignment;
}

export interface TileRun {
	tile: number;
	device: number;
	/** When its crop reached the device, compute started and ended, and its output reached the source, in seconds. */
	inputArrivedSeconds: number;
	computeStartSeconds: number;
	computeEndSeconds: number;
	outputArrivedSeconds: number;
}

export interface Schedule {
	devices: number;
	/** Device of each tile, by tile index. */
	assignment: number[];
	runs: TileRun[];
	/** Modelled time from the input at the source to every output block back at the source. */
	latencySeconds: number;
	/** Compute seconds per device (roofline on the profile). */
	computeSecondsPerDevice: number[];
	/** Seconds the link spent transferring. */
	linkBusySeconds: number;
	bytesSent: number;
}

/** Seconds one tile takes on the profile: the roofline estimate, weights already resident. */
export function tileSeconds(cost: TileCost, profile: DeviceProfile): number {
	return estimateLatency(cost.ops, profile).computeBoundSeconds;
}

function assignTiles(seconds: number[], devices: number, how: Assignment): number[] {
	if (how === 'round-robin') return seconds.map((_, t) => t % devices);
	const load = new Array<number>(devices).fill(0);
	const assignment = new Array<number>(seconds.length).fill(0);
	const order = seconds.map((s, t) => [s, t]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	for (const [s, t] of order) {
		const d = load.indexOf(Math.min(...load));
		assignment[t] = d;
		load[d] += s;
	}
	return assignment;
}

/**
 * Schedules tiles (their costs, in partition order) over the devices and simulates the link.
 * @throws Error when devices < 1 or the link bandwidth is not positive.
 */
export function scheduleTiles(costs: readonly TileCost[], options: ScheduleOptions): Schedule {
	const { devices, profile, linkBytesPerSecond } = options;
	if (!Number.isInteger(devices) || devices < 1) throw new Error(`need at least one device (got ${devices})`);
	if (!(linkBytesPerSecond > 0)) throw new Error(`link bandwidth must be positive (got ${linkBytesPerSecond} B/s)`);
	const latency = options.linkLatencySeconds ?? 0;
	const source = options.gateway ? -1 : 0;
	const seconds = costs.map((c) => tileSeconds(c, profile));
	const assignment = assignTiles(seconds, devices, options.assign ?? 'round-robin');
	const queues = Array.from({ length: devices }, (_, d) => assignment.flatMap((a, t) => (a === d ? [t] : [])));
	/** Busy intervals of the link, sorted; a transfer takes the first gap at or after it is ready. */
	const busy: [number, number][] = [];
	let linkBusySeconds = 0;
	let bytesSent = 0;
	const transfer = (ready: number, bytes: number): number => {
		const duration = latency + bytes / linkBytesPerSecond;
		let start = ready;
		let at = 0;
		for (; at < busy.length; at++) {
			if (busy[at][1] <= start) continue;
			if (busy[at][0] >= start + duration) break;
			start = busy[at][1];
		}
		busy.splice(at, 0, [start, start + duration]);
		linkBusySeconds += duration;
		bytesSent += bytes;
		return start + duration;
	};
	const deviceFree = new Array<number>(devices).fill(0);
	const next = new Array<number>(devices).fill(0);
	const runs: TileRun[] = [];
	// Event loop: the device that becomes free first asks for its next crop (ties: lower index).
	for (;;) {
		let d = -1;
		for (let k = 0; k < devices; k++) if (next[k] < queues[k].length && (d < 0 || deviceFree[k] < deviceFree[d])) d = k;
		if (d < 0) break;
		const t = queues[d][next[d]++];
		const local = d === source;
		const inputArrivedSeconds = local ? deviceFree[d] : transfer(deviceFree[d], costs[t].inputBytes);
		const computeEndSeconds = inputArrivedSeconds + seconds[t];
		const outputArrivedSeconds = local ? computeEndSeconds : transfer(computeEndSeconds, costs[t].outputBytes);
		deviceFree[d] = computeEndSeconds;
		runs.push({ tile: t, device: d, inputArrivedSeconds, computeStartSeconds: inputArrivedSeconds, computeEndSeconds, outputArrivedSeconds });
	}
	runs.sort((a, b) => a.tile - b.tile);
	const computeSecondsPerDevice = new Array<number>(devices).fill(0);
	runs.forEach((r) => (computeSecondsPerDevice[r.device] += seconds[r.tile]));
	return {
		devices,
		assignment,
		runs,
		latencySeconds: Math.max(0, ...runs.map((r) => r.outputArrivedSeconds)),
		computeSecondsPerDevice,
		linkBusySeconds,
		bytesSent
	};
}
