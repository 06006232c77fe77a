/**
 * Layout of the per-layer SQNR bar chart: one horizontal bar per tensor or layer output, length
 * proportional to SQNR in dB (higher is better). An identical tensor has infinite SQNR; it is drawn
 * full length and labelled ∞.
 */
import { scaleLinear, ticks as d3ticks } from 'd3';

export interface SqnrInput {
	label: string;
	sqnrDb: number;
}

export interface SqnrBar extends SqnrInput {
	y: number;
	width: number;
	/** Below `lowDb`: drawn in the warning colour. */
	low: boolean;
	text: string;
}

export interface SqnrLayout {
	bars: SqnrBar[];
	ticks: { x: number; label: string }[];
	height: number;
	plotWidth: number;
}

/** Rows below this SQNR are flagged: about 1.5 bits of signal left. */
export const LOW_SQNR_DB = 10;

export function sqnrLayout(rows: readonly SqnrInput[], plotWidth: number, rowHeight = 16): SqnrLayout {
	const finite = rows.map((r) => r.sqnrDb).filter(Number.isFinite);
	const max = Math.max(40, ...finite.map((v) => Math.ceil(v / 10) * 10));
	const x = scaleLinear().domain([0, max]).range([0, plotWidth]).clamp(true);
	const bars = rows.map((r, i) => ({
		...r,
		y: i * rowHeight,
		width: r.sqnrDb === Infinity ? plotWidth : Math.max(1, x(Math.max(0, r.sqnrDb))),
		low: r.sqnrDb < LOW_SQNR_DB,
		text: r.sqnrDb === Infinity ? '∞' : `${r.sqnrDb.toFixed(1)} dB`
	}));
	const ticks = d3ticks(0, max, 5).map((v) => ({ x: x(v), label: `${v}` }));
	return { bars, ticks, height: rows.length * rowHeight, plotWidth };
}
