import type { Graph } from '../ir/types';

/** How the value of a symbolic dim was chosen. */
export type DimSource = 'given' | 'default' | 'unresolved';

export interface DimChoice {
	/** The value used; null when none was given and no default applies (shapes stay symbolic). */
	value: number | null;
	source: DimSource;
}

/** A dim that sits first in an input's shape, or whose name says batch, is batch-like. */
function isBatchLike(name: string, axis: number): boolean {
	return axis === 0 || /batch/i.test(name);
}

/**
 * The symbolic dims of the graph's inputs and the value each one gets: the caller's, else 1 for a
 * batch-like dim (reported as a default), else none.
 */
export function chooseDims(graph: Graph, given: Record<string, number>): Record<string, DimChoice> {
	const out: Record<string, DimChoice> = {};
	for (const input of graph.inputs) {
		if (graph.initializers[input.name]) continue;
		input.shape?.forEach((d, axis) => {
			if (typeof d !== 'string' || out[d]?.source === 'given') return;
			if (Object.hasOwn(given, d)) out[d] = { value: given[d], source: 'given' };
			else if (isBatchLike(d, axis)) out[d] = { value: 1, source: 'default' };
			else if (!out[d]) out[d] = { value: null, source: 'unresolved' };
		});
	}
	for (const [name, value] of Object.entries(given)) out[name] ??= { value, source: 'given' };
	return out;
}

/** The numeric dims to hand to shape inference. */
export function resolvedDims(choices: Record<string, DimChoice>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const [name, c] of Object.entries(choices)) if (c.value !== null) out[name] = c.value;
	return out;
}
