/**
 * The sweep chart: every (fused depth L, grid N×M) as a point of peak activation memory per device (y, log)
 * against extra MACs from halo overlap or modelled latency (x), one line per depth through its grids, the
 * memory ceiling as a horizontal rule and the chosen configuration marked.
 */
import { line, scaleLinear, scaleLog } from 'd3';
import { binaryUnit, type Tick } from './scales';

export type SweepX = 'extraMacs' | 'latency';

/** The fields of a sweep point the chart reads (the core's SweepPoint has them). */
export interface SweepDatum {
	layers: number;
	grid: { rows: number; cols: number };
	maxPeakBytes: number;
	extraMacsRatio: number;
	latencySeconds: number;
	fits: boolean;
}

export interface SweepMark {
	id: string;
	layers: number;
	grid: string;
	x: number;
	y: number;
	fits: boolean;
	chosen: boolean;
	current: boolean;
	label: string;
}

export interface SweepSeries {
	layers: number;
	path: string;
}

export interface SweepLayout {
	marks: SweepMark[];
	series: SweepSeries[];
	xTicks: Tick[];
	yTicks: Tick[];
	/** y of the ceiling rule, or null when it is off the chart or absent. */
	ceilingY: number | null;
	xLabel: string;
}

const gridText = (g: { rows: number; cols: number }) => `${g.rows}×${g.cols}`;
const same = (a: SweepDatum, b: { layers: number; grid: { rows: number; cols: number } } | null) =>
	!!b && a.layers === b.layers && a.grid.rows === b.grid.rows && a.grid.cols === b.grid.cols;

/** The x value of a point: extra MACs in percent, or latency in milliseconds. */
export function sweepX(p: SweepDatum, axis: SweepX): number {
	return axis === 'extraMacs' ? p.extraMacsRatio * 100 : p.latencySeconds * 1000;
}

/** Byte ticks at powers of two inside [lo, hi], labelled in binary units (a log axis). */
export function log2ByteTicks(lo: number, hi: number, max = 6): Tick[] {
	const first = Math.ceil(Math.log2(Math.max(1, lo)));
	const last = Math.floor(Math.log2(Math.max(1, hi)));
	const step = Math.max(1, Math.ceil((last - first + 1) / max));
	const ticks: Tick[] = [];
	for (let e = first; e <= last; e += step) {
		const bytes = 2 ** e;
		const unit = binaryUnit(bytes);
		ticks.push({ value: bytes, label: `${+(bytes / unit.bytes).toFixed(2)} ${unit.name}` });
	}
	return ticks;
}

export function sweepLayout(
	points: readonly SweepDatum[],
	axis: SweepX,
	width: number,
	height: number,
	options: { ceilingBytes?: number | null; choice?: SweepDatum | null; current?: { layers: number; grid: { rows: number; cols: number } } | null } = {}
): SweepLayout {
	const ys = points.map((p) => p.maxPeakBytes).filter((b) => b > 0);
	const lo = Math.min(...ys, options.ceilingBytes ?? Infinity);
	const hi = Math.max(...ys, 1);
	const y = scaleLog().base(2).domain([Math.max(1, lo / 1.3), hi * 1.3]).range([height, 0]);
	const xs = points.map((p) => sweepX(p, axis));
	const x = scaleLinear().domain([0, Math.max(1e-9, ...xs)]).nice(5).range([0, width]);
	const marks: SweepMark[] = points.map((p) => {
		const xv = sweepX(p, axis);
		return {
			id: `${p.layers}-${gridText(p.grid)}`,
			layers: p.layers,
			grid: gridText(p.grid),
			x: x(xv),
			y: y(Math.max(1, p.maxPeakBytes)),
			fits: p.fits,
			chosen: same(p, options.choice ?? null),
			current: same(p, options.current ?? null),
			label: `L = ${p.layers}, ${gridText(p.grid)}`
		};
	});
	const byDepth = new Map<number, SweepMark[]>();
	for (const m of marks) byDepth.set(m.layers, [...(byDepth.get(m.layers) ?? []), m]);
	const path = line<SweepMark>().x((m) => m.x).y((m) => m.y);
	const series = [...byDepth].map(([layers, ms]) => ({ layers, path: path(ms) ?? '' }));
	const fmt = x.tickFormat(5);
	const ceiling = options.ceilingBytes;
	const [dLo, dHi] = y.domain();
	return {
		marks,
		series,
		xTicks: x.ticks(5).map((t) => ({ value: x(t), label: axis === 'extraMacs' ? `${fmt(t)}%` : `${fmt(t)} ms` })),
		yTicks: log2ByteTicks(dLo, dHi).map((t) => ({ value: y(t.value), label: t.label })),
		ceilingY: ceiling && ceiling >= dLo && ceiling <= dHi ? y(ceiling) : null,
		xLabel: axis === 'extraMacs' ? 'extra MACs from halo overlap' : 'modelled latency'
	};
}
