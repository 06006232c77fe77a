/**
 * A sweep's combinations: the cartesian product of the toggle values a person selected (quantization
 * modes, prune sparsities, fusion on/off, weight-sharing bits), each as the pipeline's
 * `TransformOptions` and as the scenario's `transforms` field it stands for, so a chosen point can
 * be loaded back into the scenario. Capped, because every combination is transformed and run.
 */
import type { QuantizeMode, ShareBits, Transforms } from '../scenario/schema';
import type { TransformOptions } from '../transforms/pipeline';

/** The values to sweep per toggle. An empty list means "off only" (the toggle is not swept). */
export interface SweepSelection {
	quantize: QuantizeMode[];
	fuse: boolean[];
	/** Unstructured magnitude pruning, fraction 0..0.95 of each layer's weights; 0 = off. */
	pruneSparsity: number[];
	/** Weight-sharing index bits; 0 = off. */
	shareBits: ShareBits[];
}

/** One combination of toggle values. */
export interface SweepCombo {
	quantize: QuantizeMode;
	fuse: boolean;
	pruneSparsity: number;
	shareBits: ShareBits;
}

export interface SweepEntry {
	/** Position in the sweep, from 0. */
	index: number;
	combo: SweepCombo;
	/** "fp16 · fuse · prune 50% · share 4-bit", "float32" for the untransformed model. */
	label: string;
	options: TransformOptions;
}

/** Settings not swept, taken from the scenario: per-channel scales and static calibration. */
export interface SweepBase {
	perChannel: boolean;
	calibration: 'minmax' | 'percentile';
}

/** More than this many combinations is refused: each one is transformed, exported and run in the browser. */
export const MAX_COMBINATIONS = 48;

const unique = <T>(xs: readonly T[], off: T): T[] => (xs.length ? [...new Set(xs)] : [off]);

function lists(sel: SweepSelection) {
	return {
		quantize: unique(sel.quantize, 'none' as QuantizeMode),
		fuse: unique(sel.fuse, false),
		pruneSparsity: unique(sel.pruneSparsity, 0),
		shareBits: unique(sel.shareBits, 0 as ShareBits)
	};
}

/** How many combinations `sel` makes (the product of the distinct values per toggle). */
export function countCombinations(sel: SweepSelection): number {
	const l = lists(sel);
	return l.quantize.length * l.fuse.length * l.pruneSparsity.length * l.shareBits.length;
}

/** A short label for a combination, in pipeline order (fuse → prune → share → quantize). */
export function comboLabel(c: SweepCombo): string {
	const parts: string[] = [];
	if (c.fuse) parts.push('fuse');
	if (c.pruneSparsity > 0) parts.push(`prune ${Math.round(c.pruneSparsity * 100)}%`);
	if (c.shareBits) parts.push(`share ${c.shareBits}-bit`);
	if (c.quantize !== 'none') parts.push(c.quantize === 'fp16' ? 'fp16' : c.quantize.replace('int8-', 'int8 '));
	return parts.length ? parts.join(' · ') : 'float32';
}

/** The pipeline's options for a combination (the same shape the transform cells send). */
export function comboOptions(c: SweepCombo, base: SweepBase): TransformOptions {
	const o: TransformOptions = {};
	if (c.fuse) o.fuse = true;
	if (c.pruneSparsity > 0) {
		o.pruneMode = 'unstructured';
		o.prune = c.pruneSparsity;
	}
	if (c.shareBits) o.share = c.shareBits;
	if (c.quantize !== 'none') {
		o.quantize = c.quantize;
		o.perChannel = base.perChannel;
		if (c.quantize === 'int8-static') o.calibration = base.calibration;
	}
	return o;
}

/** The scenario's `transforms` with a combination applied (other fields, e.g. per-channel, kept). */
export function comboTransforms(c: SweepCombo, current: Transforms): Transforms {
	return {
		...current,
		quantize: c.quantize,
		fuse: c.fuse,
		prune: c.pruneSparsity > 0 ? { mode: 'unstructured', sparsity: c.pruneSparsity } : { mode: 'none', sparsity: current.prune.sparsity },
		share: { bits: c.shareBits }
	};
}

export type CombinationsResult = { ok: true; entries: SweepEntry[] } | { ok: false; count: number; message: string };

/**
 * Every combination of the selected values, quantize varying slowest. Refuses (with a message naming
 * the product) when there are more than `max`.
 */
export function combinations(sel: SweepSelection, base: SweepBase, max = MAX_COMBINATIONS): CombinationsResult {
	const l = lists(sel);
	const count = countCombinations(sel);
	if (count > max) {
		const product = [l.quantize.length, l.fuse.length, l.pruneSparsity.length, l.shareBits.length].join(' × ');
		return { ok: false, count, message: `${product} = ${count} combinations; a sweep runs at most ${max}. Select fewer values.` };
	}
	const entries: SweepEntry[] = [];
	for (const quantize of l.quantize)
		for (const fuse of l.fuse)
			for (const pruneSparsity of l.pruneSparsity)
				for (const shareBits of l.shareBits) {
					const combo = { quantize, fuse, pruneSparsity, shareBits };
					entries.push({ index: entries.length, combo, label: comboLabel(combo), options: comboOptions(combo, base) });
				}
	return { ok: true, entries };
}
