/**
 * Calibration reads intermediate values: the model is rebuilt with extra graph outputs (a pure IR
 * edit) and run by a caller-given runner, so the core stays engine-free (the page passes its
 * onnxruntime worker, the CLI and tests onnxruntime-web in Node). Ranges are min-max or percentile.
 */
import type { Model } from '../ir/types';
import { compareTensor, type Fidelity } from './fidelity';

/**
 * Runs a model on the caller's representative inputs and returns, per input sample, the named
 * outputs as float32 arrays.
 */
export type ModelRunner = (model: Model, outputNames: string[]) => Promise<Record<string, Float32Array>[]>;

export interface CalibrationOptions {
	method?: 'minmax' | 'percentile';
	/** For 'percentile': the upper percentile kept (the lower is 100 − p). Default 99.99. */
	percentile?: number;
}

export interface Range {
	min: number;
	max: number;
}

/** The same model with `names` added as float32 graph outputs (names already outputs are kept once). */
export function withExtraOutputs(model: Model, names: string[]): Model {
	const have = new Set(model.graph.outputs.map((o) => o.name));
	const extra = [...new Set(names)].filter((n) => !have.has(n)).map((name) => ({ name, dtype: 'float32' as const, shape: null }));
	return { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, ...extra] } };
}

function percentileRange(values: Float32Array, p: number): Range {
	const sorted = Float32Array.from(values).sort();
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round((q / 100) * (sorted.length - 1))))];
	return { min: at(100 - p), max: at(p) };
}

/** Ranges of the named tensors over every calibration sample. */
export async function calibrate(model: Model, names: string[], run: ModelRunner, options: CalibrationOptions = {}): Promise<Record<string, Range>> {
	const samples = await run(withExtraOutputs(model, names), names);
	const ranges: Record<string, Range> = {};
	for (const name of names) {
		const parts = samples.map((s) => s[name]).filter(Boolean);
		if (!parts.length) throw new Error(`Calibration got no values for tensor '${name}'.`);
		const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
		let at = 0;
		for (const p of parts) { all.set(p, at); at += p.length; }
		if (options.method === 'percentile') ranges[name] = percentileRange(all, options.percentile ?? 99.99);
		else {
			let min = Infinity;
			let max = -Infinity;
			for (const v of all) { if (v < min) min = v; if (v > max) max = v; }
			ranges[name] = { min, max };
		}
	}
	return ranges;
}

export interface LayerError extends Fidelity {
	tensor: string;
}

/** Each named layer output of `variant` against the float `reference`, on the first sample. */
export async function layerErrors(reference: Model, variant: Model, names: string[], run: ModelRunner): Promise<LayerError[]> {
	const [a] = await run(withExtraOutputs(reference, names), names);
	const [b] = await run(withExtraOutputs(variant, names), names);
	return names.filter((n) => a[n] && b[n]).map((tensor) => ({ tensor, ...compareTensor(a[tensor], b[tensor]) }));
}
