/**
 * Fused tile partitioning: an N×M grid over the stack's output map, each tile's region traced back
 * through every layer of the stack to the input crop it needs (DeepThings' "fused tile partition").
 */
import {
	clipRegion, inputRegion, paddingOf, unionRegion, type Region
} from './receptive-field';
import type { FusedStack } from './stack';

export interface Grid {
	rows: number;
	cols: number;
}

/** Per-tile padding of a window op, [top, left, bottom, right]: the part of its read block outside the map. */
export type Pads = [number, number, number, number];

export interface Tile {
	row: number;
	col: number;
	/** The block of the stack's output this tile computes. */
	output: Region;
	/** The crop of the stack's input it reads (inside the map). */
	input: Region;
	/** For every stack value (input, node outputs): the block the tile holds, inside the map. */
	regions: Record<string, Region>;
	/**
	 * For every stack node, by index: the block of its data input it reads (inside the map) and the
	 * padding it applies around it. A node reading less than the tile holds of a value needs a crop first.
	 */
	reads: { region: Region; pads: Pads }[];
}

export interface Partition {
	grid: Grid;
	/** Output map height and width. */
	height: number;
	width: number;
	/** Tiles in row-major order. */
	tiles: Tile[];
}

/**
 * Boundaries that split `size` positions into `parts` contiguous blocks whose sizes differ by at
 * most one: [0, b1, …, size].
 * @throws Error when parts is not an integer in 1..size.
 */
export function splitBounds(size: number, parts: number): number[] {
	if (!Number.isInteger(parts) || parts < 1 || parts > size) throw new Error(`cannot split ${size} positions into ${parts} tiles`);
	return Array.from({ length: parts + 1 }, (_, i) => Math.floor((i * size) / parts));
}

/** Parses '3x3' / '3×3' / '3' into a grid. @throws Error on anything else. */
export function parseGrid(text: string): Grid {
	const m = /^\s*(\d+)\s*(?:[x×]\s*(\d+))?\s*$/i.exec(text);
	if (!m) throw new Error(`bad grid '${text}': expected NxM such as 3x3`);
	const rows = Number(m[1]);
	const cols = Number(m[2] ?? m[1]);
	if (rows < 1 || cols < 1) throw new Error(`bad grid '${text}': both sides must be at least 1`);
	return { rows, cols };
}

/**
 * Traces one output block back through the stack, last node first. A value read by several nodes
 * is held as the bounding box of what they read; a window op's read block is its output block
 * grown by the kernel's reach, strided, clipped to the map, with the rest recorded as padding.
 */
export function traceTile(stack: FusedStack, output: Region, row = 0, col = 0): Tile {
	const regions: Record<string, Region> = { [stack.output]: output };
	const reads: Tile['reads'] = new Array(stack.nodes.length);
	for (let i = stack.nodes.length - 1; i >= 0; i--) {
		const { node, layer, data } = stack.nodes[i];
		const out = regions[node.outputs[0]];
		if (!out) throw new Error(`stack node '${node.name}' (${node.opType}) feeds nothing in the stack`);
		const [, , h, w] = stack.shapes[data];
		const wanted = inputRegion(out, layer);
		const region = clipRegion(wanted, h, w);
		const [top, bottom] = paddingOf(wanted.rows, h);
		const [left, right] = paddingOf(wanted.cols, w);
		reads[i] = { region, pads: [top, left, bottom, right] };
		for (const name of node.inputs) if (name in stack.shapes) regions[name] = unionRegion(regions[name], region);
	}
	return { row, col, output, input: regions[stack.input], regions, reads };
}

/**
 * Splits the stack's output into a rows × cols grid of near-equal blocks and traces each.
 * @throws Error when the grid has more rows or columns than the output map.
 */
export function partitionStack(stack: FusedStack, grid: Grid): Partition {
	const [, , height, width] = stack.shapes[stack.output];
	const rowBounds = splitBounds(height, grid.rows);
	const colBounds = splitBounds(width, grid.cols);
	const tiles: Tile[] = [];
	for (let r = 0; r < grid.rows; r++) {
		for (let c = 0; c < grid.cols; c++) {
			const output: Region = {
				rows: { start: rowBounds[r], end: rowBounds[r + 1] },
				cols: { start: colBounds[c], end: colBounds[c + 1] }
			};
			tiles.push(traceTile(stack, output, r, c));
		}
	}
	return { grid, height, width, tiles };
}
