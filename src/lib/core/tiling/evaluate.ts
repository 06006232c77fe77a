/**
 * One tiling configuration end to end: partition the fused stack, cost every tile, schedule the tiles
 * over the devices, and set the figures beside the untiled stack's. All figures are modelled.
 */
import { tensorByteLength } from '../ir/dtype';
import { partitionStack, type Grid } from './partition';
import type { Region } from './receptive-field';
import { scheduleTiles, tileSeconds, type ScheduleOptions } from './schedule';
import { tileCost, tilingMetrics, untiledCost, type TilingMetrics } from './metrics';
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
	layers: number;
	input: string;
	output: string;
	inputShape: number[];
	outputShape: number[];
	grid: Grid;
	devices: number;
	deviceId: string;
	linkBytesPerSecond: number;
	gateway: boolean;
	/** Bytes of the stack's weights; every device holds all of them. */
	weightBytes: number;
	untiled: { peakBytes: number; macs: number; latencySeconds: number };
	tiled: TilingMetrics & { latencySeconds: number; computeSecondsPerDevice: number[]; linkBusySeconds: number };
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
	const weights = new Set(stack.nodes.flatMap((n) => n.node.inputs.filter((name) => stack.model.graph.initializers[name])));
	return {
		layers: stack.layers,
		input: stack.input,
		output: stack.output,
		inputShape: stack.shapes[stack.input],
		outputShape: stack.shapes[stack.output],
		grid,
		devices: options.devices,
		deviceId: options.profile.id,
		linkBytesPerSecond: options.linkBytesPerSecond,
		gateway: options.gateway ?? false,
		weightBytes: [...weights].reduce((s, name) => {
			const init = stack.model.graph.initializers[name];
			return s + tensorByteLength(init.dtype, init.dims);
		}, 0),
		untiled: { peakBytes: untiled.peakBytes, macs: untiled.macs, latencySeconds: tileSeconds(untiled, options.profile) },
		tiled: {
			...tilingMetrics(costs, schedule, untiled),
			latencySeconds: schedule.latencySeconds,
			computeSecondsPerDevice: schedule.computeSecondsPerDevice,
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
			computeSeconds: tileSeconds(costs[t], options.profile)
		})),
		kind: 'modelled',
		basis: 'peak: live activation bytes per tile without buffer reuse (as analyze); MACs: nodeMacs on tile block shapes; latency: roofline per op on the device profile + transfers of crops and outputs over one shared link'
	};
}
