/**
 * What a tiling costs: per tile, the bytes it receives and returns, its peak activation memory and
 * MACs (both from the same formulas `analyze` uses, on the tile's block sizes); per device, the
 * peak over the tiles it runs; overall, the extra MACs the overlapping halos cost and the bytes sent.
 */
import { tensorByteLength } from '../ir/dtype';
import type { Graph, TensorInfo } from '../ir/types';
import { costDtype, type OpCost } from '../devices/op-cost';
import { activationBuffers, peakLiveBytes } from '../memory/lifetimes';
import { nodeMacs } from '../shapes/macs';
import { traceTile, type Tile } from './partition';
import { intervalLength, type Region } from './receptive-field';
import type { FusedStack } from './stack';
import type { Schedule } from './schedule';

export interface TileCost {
	row: number;
	col: number;
	/** Bytes of the tile's input crop. */
	inputBytes: number;
	/** Bytes of the tile's block of the stack output. */
	outputBytes: number;
	/** Most activation bytes live at once while the tile runs (crop and output included, no buffer reuse). */
	peakBytes: number;
	macs: number;
	/** Per-node work, for the device latency model. */
	ops: OpCost[];
}

function blockInfo(stack: FusedStack, name: string, region: Region): TensorInfo {
	const [n, c] = stack.shapes[name];
	return { name, dtype: stack.dtype, shape: [n, c, intervalLength(region.rows), intervalLength(region.cols)] };
}

/** The cost of one traced tile. */
export function tileCost(stack: FusedStack, tile: Tile): TileCost {
	const values: Record<string, TensorInfo> = { ...stack.values };
	for (const [name, region] of Object.entries(tile.regions)) values[name] = blockInfo(stack, name, region);
	const nodes = stack.nodes.map((n) => n.node);
	const graph: Graph = {
		name: 'tile', nodes, inputs: [values[stack.input]], outputs: [values[stack.output]], initializers: {}, valueInfo: {}
	};
	const bytes = (info: TensorInfo | undefined) => (info?.shape ? tensorByteLength(info.dtype, info.shape as number[]) : 0);
	const weights = stack.model.graph.initializers;
	const ops: OpCost[] = stack.nodes.map(({ node }, i) => {
		const readBytes = node.inputs.filter((name) => name in tile.regions)
			.reduce((s, name) => s + bytes(blockInfo(stack, name, tile.reads[i].region)), 0);
		return {
			name: node.name,
			opType: node.opType,
			macs: nodeMacs(node, values),
			dtype: costDtype(stack.dtype),
			weightBytes: node.inputs.reduce((s, name) => s + (weights[name]?.data.byteLength ?? 0), 0),
			activationBytes: readBytes + bytes(values[node.outputs[0]])
		};
	});
	const buffers = activationBuffers({ ...graph, initializers: weights }, values);
	return {
		row: tile.row,
		col: tile.col,
		inputBytes: bytes(values[stack.input]),
		outputBytes: bytes(values[stack.output]),
		peakBytes: peakLiveBytes(buffers, nodes.length).peakBytes,
		macs: ops.reduce((s, o) => s + o.macs, 0),
		ops
	};
}

/** The cost of the stack run whole (one tile covering the output). */
export function untiledCost(stack: FusedStack): TileCost {
	const [, , h, w] = stack.shapes[stack.output];
	return tileCost(stack, traceTile(stack, { rows: { start: 0, end: h }, cols: { start: 0, end: w } }));
}

/**
 * The cost of the untiled prefix (the layers before a stack that starts after layer 0): image input to
 * the stack input, run whole on the source before the tiles are sent; null when the stack starts at 0.
 */
export function prefixCost(stack: FusedStack): TileCost | null {
	if (!stack.prefix.length) return null;
	return untiledCost({ ...stack, input: stack.source, output: stack.input, nodes: stack.prefix, prefix: [] });
}

export interface TilingMetrics {
	/** Per device (index = device), the largest tile peak among the tiles it runs; 0 for an idle device. */
	peakBytesPerDevice: number[];
	/** max over devices. */
	maxPeakBytes: number;
	/** untiled peak / maxPeakBytes. */
	memoryReduction: number;
	/** Σ tile MACs. */
	macs: number;
	/** Σ tile MACs − untiled MACs: recomputed halo overlap. */
	extraMacs: number;
	/** extraMacs / untiled MACs. */
	extraMacsRatio: number;
	/** Bytes that cross the link: input crops sent and output blocks returned. */
	bytesSent: number;
}

/** Memory, compute and traffic figures of a scheduled tiling against the untiled stack. */
export function tilingMetrics(costs: readonly TileCost[], schedule: Schedule, untiled: TileCost): TilingMetrics {
	const peakBytesPerDevice = new Array<number>(schedule.devices).fill(0);
	costs.forEach((c, t) => {
		const d = schedule.assignment[t];
		peakBytesPerDevice[d] = Math.max(peakBytesPerDevice[d], c.peakBytes);
	});
	const maxPeakBytes = Math.max(...peakBytesPerDevice);
	const macs = costs.reduce((s, c) => s + c.macs, 0);
	return {
		peakBytesPerDevice,
		maxPeakBytes,
		memoryReduction: maxPeakBytes > 0 ? untiled.peakBytes / maxPeakBytes : 1,
		macs,
		extraMacs: macs - untiled.macs,
		extraMacsRatio: untiled.macs > 0 ? (macs - untiled.macs) / untiled.macs : 0,
		bytesSent: schedule.bytesSent
	};
}
