/**
 * Layout of the sweep's Pareto scatter: x = footprint bytes on a log scale (ticks on powers of two,
 * in binary units), y = latency in ms from 0, colour and size = fidelity (SQNR dB over the sweep's own
 * range: darker and larger is closer to the original; an identical output, ∞ dB, draws as the top). The Pareto
 * front's points are joined in order of footprint. Points without bytes or latency are left out and
 * counted.
 */
import { interpolateViridis, scaleLinear, scaleLog } from 'd3';
import { binaryUnit, type Tick } from './scales';

export interface ParetoInput {
	index: number;
	label: string;
	bytes: number;
	latencyMs: number | null;
	sqnrDb: number | null;
	onFront: boolean;
	loaded: boolean;
}

export interface ParetoDot extends ParetoInput {
	latencyMs: number;
	cx: number;
	cy: number;
	r: number;
	fill: string;
	sqnrText: string;
}

export interface ParetoLayout {
	width: number;
	height: number;
	plot: { left: number; top: number; width: number; height: number };
	dots: ParetoDot[];
	/** SVG path through the front's points, left to right; null with fewer than two. */
	frontPath: string | null;
	xTicks: (Tick & { x: number })[];
	yTicks: (Tick & { y: number })[];
	/** Points left out (no latency, no bytes). */
	omitted: number;
	legend: { stops: { offset: number; color: string }[]; minLabel: string; maxLabel: string };
}

/** The fidelity colour scale's range in dB: the sweep's finite SQNRs, rounded out to 5 dB, at least 10 dB wide. */
export type SqnrDomain = [number, number];

export function sqnrDomain(values: readonly (number | null)[]): SqnrDomain {
	const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
	if (!finite.length) return [0, 60];
	const lo = Math.max(0, Math.floor(Math.min(...finite) / 5) * 5);
	return [lo, Math.max(lo + 10, Math.ceil(Math.max(...finite) / 5) * 5)];
}

/** 0..1 within the domain (null: 0; ∞, an identical output: 1). */
export function fidelityT(sqnrDb: number | null, [lo, hi]: SqnrDomain): number {
	if (sqnrDb === null || Number.isNaN(sqnrDb)) return 0;
	return Math.min(1, Math.max(0, (sqnrDb - lo) / (hi - lo)));
}

/** Dark blue for faithful, yellow-green for poor: readable against white either way with a dark outline. */
export function fidelityColor(sqnrDb: number | null, domain: SqnrDomain): string {
	return interpolateViridis(0.92 - 0.84 * fidelityT(sqnrDb, domain));
}

export function sqnrText(sqnrDb: number | null): string {
	if (sqnrDb === null) return 'not measured';
	return sqnrDb === Infinity ? '∞ dB (identical)' : `${sqnrDb.toFixed(1)} dB`;
}

/** "512 KiB", "1.5 MiB": three significant digits in the largest binary unit. */
export function byteLabel(bytes: number): string {
	const unit = binaryUnit(bytes);
	return `${+(bytes / unit.bytes).toPrecision(3)} ${unit.name}`;
}

function logTicks(lo: number, hi: number, x: (v: number) => number): (Tick & { x: number })[] {
	const powers: number[] = [];
	for (let e = Math.ceil(Math.log2(lo)); 2 ** e <= hi; e++) powers.push(2 ** e);
	const values = powers.length >= 2 ? powers.filter((_, i) => i % Math.ceil(powers.length / 6) === 0) : scaleLinear().domain([lo, hi]).ticks(3);
	return values.map((v) => ({ value: v, label: byteLabel(v), x: x(v) }));
}

export function paretoLayout(rows: readonly ParetoInput[], size: { width: number; height: number }): ParetoLayout {
	const plot = { left: 56, top: 26, width: Math.max(80, size.width - 56 - 16), height: Math.max(60, size.height - 26 - 40) };
	const usable = rows.filter((r): r is ParetoInput & { latencyMs: number } => r.latencyMs !== null && Number.isFinite(r.latencyMs) && r.bytes > 0);
	const bytes = usable.map((r) => r.bytes);
	const minB = bytes.length ? Math.min(...bytes) : 1024;
	const maxB = bytes.length ? Math.max(...bytes) : 1024 * 1024;
	const [lo, hi] = minB === maxB ? [minB / 2, maxB * 2] : [minB / 1.25, maxB * 1.25];
	const x = scaleLog().base(2).domain([lo, hi]).range([plot.left, plot.left + plot.width]);
	const maxMs = Math.max(0, ...usable.map((r) => r.latencyMs));
	const y = scaleLinear().domain([0, maxMs > 0 ? maxMs * 1.1 : 1]).nice(5).range([plot.top + plot.height, plot.top]);
	const format = y.tickFormat(5);
	const fidelity = sqnrDomain(usable.map((r) => r.sqnrDb));
	const dots: ParetoDot[] = usable.map((r) => ({
		...r,
		cx: x(r.bytes),
		cy: y(r.latencyMs),
		r: 4 + 4 * fidelityT(r.sqnrDb, fidelity),
		fill: fidelityColor(r.sqnrDb, fidelity),
		sqnrText: sqnrText(r.sqnrDb)
	}));
	const front = dots.filter((d) => d.onFront).sort((a, b) => a.cx - b.cx || a.cy - b.cy);
	return {
		width: size.width,
		height: size.height,
		plot,
		dots,
		frontPath: front.length >= 2 ? `M${front.map((d) => `${d.cx.toFixed(1)},${d.cy.toFixed(1)}`).join('L')}` : null,
		xTicks: logTicks(lo, hi, x),
		yTicks: y.ticks(5).map((v) => ({ value: v, label: `${format(v)} ms`, y: y(v) })),
		omitted: rows.length - usable.length,
		legend: {
			stops: [0, 0.25, 0.5, 0.75, 1].map((t) => ({ offset: t, color: fidelityColor(fidelity[0] + t * (fidelity[1] - fidelity[0]), fidelity) })),
			minLabel: `${fidelity[0]} dB`,
			maxLabel: `${fidelity[1]} dB (∞: identical)`
		}
	};
}
