/**
 * How close a variant's outputs are to the float original's: SQNR in dB, largest absolute and
 * relative error, and top-1 agreement along the last axis (for classifiers and per-step
 * recognizers). Pure arithmetic over arrays, so the page, workers and tests share it.
 */

export interface Fidelity {
	/** 10·log10(Σref² / Σ(ref−x)²); Infinity when identical. */
	sqnrDb: number;
	maxAbsError: number;
	/** maxAbsError divided by the largest |ref|. */
	maxRelativeError: number;
	/** Fraction of rows (last axis) whose argmax agrees, 0..1; 1 for a scalar output. */
	top1Agreement: number;
}

function argmaxRows(values: ArrayLike<number>, row: number): Int32Array {
	const rows = Math.max(1, Math.floor(values.length / row));
	const out = new Int32Array(rows);
	for (let r = 0; r < rows; r++) {
		let best = 0;
		for (let i = 1; i < row; i++) if (values[r * row + i] > values[r * row + best]) best = i;
		out[r] = best;
	}
	return out;
}

/**
 * Compares an output against the reference. `lastDim` is the size of the class axis (the last dim),
 * default the whole array as one row.
 * @throws Error when the lengths differ.
 */
export function compareTensor(reference: ArrayLike<number>, actual: ArrayLike<number>, lastDim = reference.length): Fidelity {
	if (reference.length !== actual.length) throw new Error(`Output lengths differ: ${reference.length} vs ${actual.length}.`);
	let signal = 0;
	let noise = 0;
	let maxAbs = 0;
	let maxRef = 0;
	for (let i = 0; i < reference.length; i++) {
		const d = reference[i] - actual[i];
		signal += reference[i] * reference[i];
		noise += d * d;
		maxAbs = Math.max(maxAbs, Math.abs(d));
		maxRef = Math.max(maxRef, Math.abs(reference[i]));
	}
	const a = argmaxRows(reference, lastDim);
	const b = argmaxRows(actual, lastDim);
	let agree = 0;
	for (let i = 0; i < a.length; i++) if (a[i] === b[i]) agree++;
	return {
		sqnrDb: noise === 0 ? Infinity : signal === 0 ? -Infinity : 10 * Math.log10(signal / noise),
		maxAbsError: maxAbs,
		maxRelativeError: maxRef === 0 ? maxAbs : maxAbs / maxRef,
		top1Agreement: a.length ? agree / a.length : 1
	};
}

/** Compares each named output; `dims` gives the shape of each (its last entry is the class axis). */
export function compareOutputs(
	reference: Record<string, { data: ArrayLike<number>; dims: readonly number[] }>,
	actual: Record<string, { data: ArrayLike<number> }>
): Record<string, Fidelity> {
	const out: Record<string, Fidelity> = {};
	for (const [name, ref] of Object.entries(reference)) {
		const got = actual[name];
		if (!got) throw new Error(`Output '${name}' is missing from the variant's results.`);
		out[name] = compareTensor(ref.data, got.data, ref.dims.length ? ref.dims[ref.dims.length - 1] : 1);
	}
	return out;
}
