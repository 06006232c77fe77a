/**
 * One tiling configuration end to end: partition the fused stack, cost every tile, schedule the tiles
 * over the devices, and set the figures beside the untiled stack's. All figures are modelled.
 */
import { ramBytes } from '../devices/profiles';
import { tensorByteLength } from '../ir/dtype';
import { gatewayCost, type GatewayCost } from './gateway';
import { partitionStack, type Grid } from './partition';
import type { Region } from './receptive-field';
import { deviceProfilesOf, scheduleTiles, tileSeconds, type Assignment, type ScheduleOptions } from './schedule';
import { prefixCost, tileCost, tilingMetrics, untiledCost, type TilingMetrics } from './metrics';
import type { FusedStack } from './stack';

export interface TileReport {
	row: number;
	col: number;
	device: number;
	input: Region;
	output: Region;
	inputBytes: number;
	outputBytes: number;
	peakBytes: number;
	macs: number;
	computeSeconds: number;
}

export interface TilingReport {
	/** First fused layer (0, or a of `--layers a..b`: the layers before it run untiled on the source). */
	first: number;
	layers: number;
	input: string;
	output: string;
	inputShape: number[];
	outputShape: number[];
	grid: Grid;
	devices: number;
	/** `options.profile`: of the untiled stack and the prefix, and of every device without its own profile. */
	deviceId: string;
	/** Profile id of each device. */
	deviceIds: string[];
	/** Read-write RAM of each device (its profile's writable tiers). */
	ramBytesPerDevice: number[];
	/** Per device: its largest tile's activations plus the stack's weights fit its own RAM. */
	fitsPerDevice: boolean[];
	assign: Assignment;
	linkBytesPerSecond: number;
	gateway: boolean;
	/**
	 * With a gateway: its memory (input map + stitched output map, or the prefix's peak) against its RAM and
	 * the merge time, on `options.profile`; the merge is in `tiled.latencySeconds`. Null without a gateway.
	 */
	gatewayCost: GatewayCost | null;
	/** Bytes of the stack's weights; every device holds all of them. */
	weightBytes: number;
	/**
	 * The layers before the stack (0..first−1), run untiled on the source before the tiles are sent; the same
	 * with or without tiling, so not in either latency. Latency is on `options.profile`. Null when first = 0.
	 */
	prefix: { layers: number; peakBytes: number; macs: number; latencySeconds: number } | null;
	untiled: { peakBytes: number; macs: number; latencySeconds: number };
	tiled: TilingMetrics & {
		/** When the last output block reached the source, plus the gateway's merge when there is one. */
		latencySeconds: number;
		computeSecondsPerDevice: number[];
		transferSecondsPerDevice: number[];
		finishSecondsPerDevice: number[];
		linkBusySeconds: number;
	};
	tiles: TileReport[];
	kind: 'modelled';
	basis: string;
}

/** Partitions, costs and schedules `stack` as `grid` over the devices in `options`. */
export function evaluateTiling(stack: FusedStack, grid: Grid, options: ScheduleOptions): TilingReport {
	const partition = partitionStack(stack, grid);
	const costs = partition.tiles.map((t) => tileCost(stack, t));
	const untiled = untiledCost(stack);
	const schedule = scheduleTiles(costs, options);
	const profiles = deviceProfilesOf(options);
	const weights = new Set(stack.nodes.flatMap((n) => n.node.inputs.filter((name) => stack.model.graph.initializers[name])));
	const weightBytes = [...weights].reduce((s, name) => {
		const init = stack.model.graph.initializers[name];
		return s + tensorByteLength(init.dtype, init.dims);
	}, 0);
	const metrics = tilingMetrics(costs, schedule, untiled);
	const ramBytesPerDevice = profiles.map(ramBytes);
	const prefix = prefixCost(stack);
	const gateway = options.gateway ? gatewayCost(stack, costs, options.profile, prefix?.peakBytes) : null;
	return {
		first: stack.first,
		layers: stack.layers,
		input: stack.input,
		output: stack.output,
		inputShape: stack.shapes[stack.input],
		outputShape: stack.shapes[stack.output],
		grid,
		devices: options.devices,
		deviceId: options.profile.id,
		deviceIds: profiles.map((p) => p.id),
		ramBytesPerDevice,
		fitsPerDevice: metrics.peakBytesPerDevice.map((peak, d) => peak + weightBytes <= ramBytesPerDevice[d]),
		assign: schedule.assign,
		linkBytesPerSecond: options.linkBytesPerSecond,
		gateway: options.gateway ?? false,
		gatewayCost: gateway,
		weightBytes,
		prefix: prefix && {
			layers: stack.first,
			peakBytes: prefix.peakBytes,
			macs: prefix.macs,
			latencySeconds: tileSeconds(prefix, options.profile)
		},
		untiled: { peakBytes: untiled.peakBytes, macs: untiled.macs, latencySeconds: tileSeconds(untiled, options.profile) },
		tiled: {
			...metrics,
			latencySeconds: schedule.latencySeconds + (gateway?.mergeSeconds ?? 0),
			computeSecondsPerDevice: schedule.computeSecondsPerDevice,
			transferSecondsPerDevice: schedule.transferSecondsPerDevice,
			finishSecondsPerDevice: schedule.finishSecondsPerDevice,
			linkBusySeconds: schedule.linkBusySeconds
		},
		tiles: partition.tiles.map((tile, t) => ({
			row: tile.row,
			col: tile.col,
			device: schedule.assignment[t],
			input: tile.input,
			output: tile.output,
			inputBytes: costs[t].inputBytes,
			outputBytes: costs[t].outputBytes,
			peakBytes: costs[t].peakBytes,
			macs: costs[t].macs,
			computeSeconds: tileSeconds(costs[t], profiles[schedule.assignment[t]])
		})),
		kind: 'modelled',
		basis: `peak: live activation bytes per tile without buffer reuse (as analyze); MACs: nodeMacs on tile block shapes; latency: roofline per op on each device's profile + transfers of crops and outputs over one shared link${gateway ? ` + the gateway's merge (2 × output bytes / ${gateway.tier} bandwidth)` : ''}; tiles assigned ${ASSIGN_WORDS[schedule.assign]}`
	};
}

const ASSIGN_WORDS: Record<Assignment, string> = {
	'round-robin': 'round-robin (tile t on device t mod K)',
	greedy: 'greedily, largest first, to the device whose compute ends first',
	eft: 'by earliest finish time (largest first, to the device where compute and transfers end first)'
};
