/** Stacked horizontal bars: each row's terms laid end to end along one shared x scale. */
import type { ScaleLinear } from 'd3';

export interface StackTerm {
	id: string;
	label: string;
	value: number;
	kind: 'measured' | 'modelled';
	basis?: string;
}

export interface StackSegment extends StackTerm {
	/** Cumulative value where the segment starts and ends. */
	start: number;
	end: number;
	/** Pixel position and width on the scale. */
	x: number;
	width: number;
}

/**
 * Lays `terms` end to end from 0: each segment starts where the previous ended. Zero and negative
 * values are dropped (they have no extent); the order of the others is kept.
 */
export function stackTerms(terms: readonly StackTerm[], scale: ScaleLinear<number, number>): StackSegment[] {
	let cursor = 0;
	const out: StackSegment[] = [];
	for (const t of terms) {
		if (!(t.value > 0)) continue;
		const start = cursor;
		cursor += t.value;
		out.push({ ...t, start, end: cursor, x: scale(start), width: Math.max(0, scale(cursor) - scale(start)) });
	}
	return out;
}

/** The sum of positive term values: where a row's stack ends. */
export function stackTotal(terms: readonly StackTerm[]): number {
	return terms.reduce((s, t) => s + (t.value > 0 ? t.value : 0), 0);
}
