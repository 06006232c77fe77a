/** Number formatting for the page: every figure a person sees carries its unit. */
import type { Dim } from '../core/ir/types';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.50 KiB" (binary units: memory budgets on devices are quoted that way). */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes)) return '—';
	let value = bytes;
	let unit = 0;
	while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** 1234567 → "1.23 M" with a unit word, e.g. formatCount(n, 'MACs'). */
export function formatCount(n: number, unit = ''): string {
	if (!Number.isFinite(n)) return '—';
	const suffix = unit ? ` ${unit}` : '';
	const abs = Math.abs(n);
	const scaled = (d: number, s: string) => `${(n / d).toFixed(n / d < 10 ? 2 : n / d < 100 ? 1 : 0)} ${s}${suffix}`;
	if (abs >= 1e9) return scaled(1e9, 'G');
	if (abs >= 1e6) return scaled(1e6, 'M');
	if (abs >= 1e4) return scaled(1e3, 'k');
	return `${n.toLocaleString('en-US')}${suffix}`;
}

/** Exact integer with thousands separators, for titles and tooltips. */
export function formatExact(n: number): string {
	return n.toLocaleString('en-US');
}

/** [1, 3, 'h', 640] → "1 × 3 × h × 640"; a scalar is "scalar"; an unknown rank is "unknown". */
export function formatShape(shape: readonly (Dim | null)[] | null): string {
	if (!shape) return 'unknown';
	if (shape.length === 0) return 'scalar';
	return shape.map((d) => (d === null ? '?' : String(d))).join(' × ');
}

export function formatMs(ms: number): string {
	if (!Number.isFinite(ms)) return '—';
	if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
	if (ms < 10) return `${ms.toFixed(2)} ms`;
	if (ms < 1000) return `${ms.toFixed(1)} ms`;
	return `${(ms / 1000).toFixed(2)} s`;
}

/** A value of an output preview: short, but keeps small and large magnitudes readable. */
export function formatValue(x: number): string {
	if (!Number.isFinite(x)) return String(x);
	if (x === 0 || Number.isInteger(x)) return String(x);
	const abs = Math.abs(x);
	return abs >= 1e4 || abs < 1e-3 ? x.toExponential(2) : x.toPrecision(4);
}
