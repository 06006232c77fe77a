/**
 * The tiles drawn over the input frame: each tile's output block (mapped from the fused stack's output map
 * onto the input by the ratio of their sizes) and the halo'd input region it reads, as SVG rectangles.
 */
import { scaleLinear } from 'd3';

/** Half-open [start, end) along one axis, as the tiling core gives them. */
export interface Span {
	start: number;
	end: number;
}

export interface TileRegions {
	row: number;
	col: number;
	device: number;
	/** Block of the stack's output map, in output pixels. */
	output: { rows: Span; cols: Span };
	/** Input crop the tile reads (halo included), in input pixels, clipped to the image. */
	input: { rows: Span; cols: Span };
}

export interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface TileShape {
	id: string;
	label: string;
	device: number;
	color: string;
	/** The output block, drawn on the input frame. */
	block: Rect;
	/** The halo'd input region. */
	halo: Rect;
}

export interface TileGridLayout {
	width: number;
	height: number;
	tiles: TileShape[];
}

/** A distinct hue per device (golden-angle steps, so neighbours differ even with many devices). */
export function deviceColor(device: number): string {
	return `hsl(${Math.round((210 + device * 137.508) % 360)} 62% 48%)`;
}

/**
 * Lays out the input frame (inputHw = [H, W] pixels) at `maxWidth` × at most `maxHeight` SVG units, keeping
 * its aspect ratio, with every tile's block and halo. `outputHw` is the stack output's [H, W].
 */
export function tileGridLayout(
	tiles: readonly TileRegions[],
	inputHw: readonly [number, number],
	outputHw: readonly [number, number],
	maxWidth: number,
	maxHeight = maxWidth
): TileGridLayout {
	const [h, w] = inputHw;
	const k = Math.min(maxWidth / w, maxHeight / h);
	const width = w * k;
	const height = h * k;
	const x = scaleLinear().domain([0, w]).range([0, width]);
	const y = scaleLinear().domain([0, h]).range([0, height]);
	// An output pixel covers inputSize / outputSize input pixels (the stack's total stride, Darknet-style maps).
	const sy = h / outputHw[0];
	const sx = w / outputHw[1];
	const rect = (rows: Span, cols: Span, fy: number, fx: number): Rect => ({
		x: x(cols.start * fx),
		y: y(rows.start * fy),
		width: x(Math.min(w, cols.end * fx)) - x(cols.start * fx),
		height: y(Math.min(h, rows.end * fy)) - y(rows.start * fy)
	});
	return {
		width,
		height,
		tiles: tiles.map((t) => ({
			id: `${t.row}-${t.col}`,
			label: `tile (${t.row + 1}, ${t.col + 1}) on device ${t.device + 1}`,
			device: t.device,
			color: deviceColor(t.device),
			block: rect(t.output.rows, t.output.cols, sy, sx),
			halo: rect(t.input.rows, t.input.cols, 1, 1)
		}))
	};
}
