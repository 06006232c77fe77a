/**
 * Tiles over K devices joined by one shared link (DeepThings' Wi-Fi cluster; Naveen & Kounte's five
 * Raspberry Pis and a gateway). A source holds the input image — the gateway when there is one, else
 * device 0 — sends each device the crop of its next tile when the device is free, and collects the
 * output blocks. Transfers take the link one at a time, each in the first free gap after it is ready; a tile that stays on
 * the source costs no transfer. Modelled latency is when the last output block reaches the source. Devices may
 * differ (`profiles`): each tile's compute time is the roofline on the profile of the device that runs it.
 */
import { estimateLatency } from '../devices/latency';
import type { DeviceProfile } from '../devices/types';
import type { TileCost } from './metrics';

export type Assignment = 'round-robin' | 'greedy' | 'eft';

export const ASSIGNMENTS: readonly Assignment[] = ['round-robin', 'greedy', 'eft'];

export interface ScheduleOptions {
	/** Devices that compute tiles (K ≥ 1). */
	devices: number;
	/** The device profile: of every device without its own in `profiles`, and of the untiled stack. */
	profile: DeviceProfile;
	/** Profile of each device, in order (heterogeneous devices); devices past its end use `profile`. */
	profiles?: readonly DeviceProfile[];
	/** Bytes per second of the shared link (100 Mbit/s Ethernet = 12.5e6). */
	linkBytesPerSecond: number;
	/** Seconds added to every transfer (default 0). */
	linkLatencySeconds?: number;
	/** A separate gateway holds the input and merges; every tile's crop and output cross the link. */
	gateway?: boolean;
	/**
	 * round-robin: tile t on device t mod K. greedy: each tile, largest first, on the device where its
	 * compute would end first (the least-loaded one when the devices are alike). eft: the same with the
	 * transfers of its crop and output added (earliest finish time; a tile on the source sends nothing).
	 * Default: `defaultAssignment(profiles)`.
	 */
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
	/** How tiles were assigned. */
	assign: Assignment;
	/** Device of each tile, by tile index. */
	assignment: number[];
	runs: TileRun[];
	/** Modelled time from the input at the source to every output block back at the source. */
	latencySeconds: number;
	/** Compute seconds per device (roofline on its profile). */
	computeSecondsPerDevice: number[];
	/** Link seconds per device: its crops in and its output blocks back. */
	transferSecondsPerDevice: number[];
	/** Per device, when its last output block reached the source (0 for an idle device). */
	finishSecondsPerDevice: number[];
	/** Seconds the link spent transferring. */
	linkBusySeconds: number;
	bytesSent: number;
}

/** Seconds one tile takes on the profile: the roofline estimate, weights already resident. */
export function tileSeconds(cost: TileCost, profile: DeviceProfile): number {
	return estimateLatency(cost.ops, profile).computeBoundSeconds;
}

/** The profile of each of the K devices: `profiles[d]`, or `profile` past its end. */
export function deviceProfilesOf(options: Pick<ScheduleOptions, 'devices' | 'profile' | 'profiles'>): DeviceProfile[] {
	return Array.from({ length: options.devices }, (_, d) => options.profiles?.[d] ?? options.profile);
}

/** round-robin when every device has the same profile (the static split DeepThings and Naveen & Kounte use), else eft. */
export function defaultAssignment(profiles: readonly DeviceProfile[]): Assignment {
	return profiles.every((p) => p === profiles[0] || JSON.stringify(p) === JSON.stringify(profiles[0])) ? 'round-robin' : 'eft';
}

/** seconds[t][d]: tile t on device d. transfer(t, d): link seconds of its crop and output (0 on the source). */
function assignTiles(seconds: number[][], devices: number, how: Assignment, transfer: (t: number, d: number) => [number, number]): number[] {
	if (how === 'round-robin') return seconds.map((_, t) => t % devices);
	const work = seconds.map((s) => s.reduce((a, b) => a + b, 0) / s.length);
	const free = new Array<number>(devices).fill(0);
	const assignment = new Array<number>(seconds.length).fill(0);
	const order = work.map((s, t) => [s, t]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
	for (const [, t] of order) {
		let best = -1;
		let bestEnd = Infinity;
		for (let d = 0; d < devices; d++) {
			const [inS, outS] = how === 'eft' ? transfer(t, d) : [0, 0];
			const end = free[d] + inS + seconds[t][d] + outS;
			if (end < bestEnd || (end === bestEnd && free[d] < free[best])) {
				best = d;
				bestEnd = end;
			}
		}
		assignment[t] = best;
		const [inS] = how === 'eft' ? transfer(t, best) : [0, 0];
		free[best] += inS + seconds[t][best];
	}
	return assignment;
}

/**
 * Schedules tiles (their costs, in partition order) over the devices and simulates the link.
 * @throws Error when devices < 1 or the link bandwidth is not positive.
 */
export function scheduleTiles(costs: readonly TileCost[], options: ScheduleOptions): Schedule {
	const { devices, linkBytesPerSecond } = options;
	if (!Number.isInteger(devices) || devices < 1) throw new Error(`need at least one device (got ${devices})`);
	if (!(linkBytesPerSecond > 0)) throw new Error(`link bandwidth must be positive (got ${linkBytesPerSecond} B/s)`);
	const latency = options.linkLatencySeconds ?? 0;
	const source = options.gateway ? -1 : 0;
	const profiles = deviceProfilesOf(options);
	const bySpeed = new Map<DeviceProfile, number[]>();
	const secondsOn = (p: DeviceProfile) => bySpeed.get(p) ?? bySpeed.set(p, costs.map((c) => tileSeconds(c, p))).get(p)!;
	const seconds = costs.map((_, t) => profiles.map((p) => secondsOn(p)[t]));
	const linkSeconds = (bytes: number) => latency + bytes / linkBytesPerSecond;
	const assign = options.assign ?? defaultAssignment(profiles);
	const assignment = assignTiles(seconds, devices, assign, (t, d) =>
		d === source ? [0, 0] : [linkSeconds(costs[t].inputBytes), linkSeconds(costs[t].outputBytes)]);
	const queues = Array.from({ length: devices }, (_, d) => assignment.flatMap((a, t) => (a === d ? [t] : [])));
	/** Busy intervals of the link, sorted; a transfer takes the first gap at or after it is ready. */
	const busy: [number, number][] = [];
	let linkBusySeconds = 0;
	let bytesSent = 0;
	const transferSecondsPerDevice = new Array<number>(devices).fill(0);
	const transfer = (ready: number, bytes: number, device: number): number => {
		const duration = linkSeconds(bytes);
		let start = ready;
		let at = 0;
		for (; at < busy.length; at++) {
			if (busy[at][1] <= start) continue;
			if (busy[at][0] >= start + duration) break;
			start = busy[at][1];
		}
		busy.splice(at, 0, [start, start + duration]);
		linkBusySeconds += duration;
		transferSecondsPerDevice[device] += duration;
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
		const inputArrivedSeconds = local ? deviceFree[d] : transfer(deviceFree[d], costs[t].inputBytes, d);
		const computeEndSeconds = inputArrivedSeconds + seconds[t][d];
		const outputArrivedSeconds = local ? computeEndSeconds : transfer(computeEndSeconds, costs[t].outputBytes, d);
		deviceFree[d] = computeEndSeconds;
		runs.push({ tile: t, device: d, inputArrivedSeconds, computeStartSeconds: inputArrivedSeconds, computeEndSeconds, outputArrivedSeconds });
	}
	runs.sort((a, b) => a.tile - b.tile);
	const computeSecondsPerDevice = new Array<number>(devices).fill(0);
	const finishSecondsPerDevice = new Array<number>(devices).fill(0);
	for (const r of runs) {
		computeSecondsPerDevice[r.device] += seconds[r.tile][r.device];
		finishSecondsPerDevice[r.device] = Math.max(finishSecondsPerDevice[r.device], r.outputArrivedSeconds);
	}
	return {
		devices,
		assign,
		assignment,
		runs,
		latencySeconds: Math.max(0, ...runs.map((r) => r.outputArrivedSeconds)),
		computeSecondsPerDevice,
		transferSecondsPerDevice,
		finishSecondsPerDevice,
		linkBusySeconds,
		bytesSent
	};
}
