/**
 * The transform worker's onnxruntime-web side: a calibration runner for static int8, and the
 * comparison of a variant with its original — fidelity of every output on the same input, and
 * latency measured in the same worker, same backend, in alternating rounds so that drift (thermal,
 * other tabs) hits both alike. Uses the engine the model cell uses (src/lib/engines).
 */
import { exportOnnx } from '../core/formats/onnx/export';
import type { Model } from '../core/ir/types';
import type { ModelRunner } from '../core/transforms/calibration';
import { compareTensor, type Fidelity } from '../core/transforms/fidelity';
import type { ZooEntry } from '../core/zoo/manifest';
import { probeCapabilities, type Capabilities } from '../engines/capabilities';
import type { Engine, EngineSession, PlainTensor } from '../engines/engine';
import { syntheticFeeds, type InputSpec } from '../engines/feeds';
import { latencyStats } from '../engines/stats';
import type { VariantComparison } from './protocol';

export interface Feeds {
	feeds: Record<string, PlainTensor>;
	basis: string;
}

/** The zoo's representative input, or seeded synthetic values for an uploaded model. */
export async function makeFeeds(zoo: ZooEntry | undefined, inputs: readonly InputSpec[], dims: Record<string, number>): Promise<Feeds> {
	if (zoo) {
		const { representativeInput } = await import('../core/zoo/inputs');
		return { feeds: representativeInput(zoo, dims) as Record<string, PlainTensor>, basis: `the zoo's representative input (${zoo.representativeInput})` };
	}
	return { feeds: syntheticFeeds(inputs, dims), basis: 'deterministic pseudo-random values (no representative input for an uploaded model)' };
}

let shared: { engine: Engine; capabilities: Capabilities } | null = null;

/** One engine per worker (onnxruntime-web's settings are global once it has started). */
export async function engineFor(wasmPaths: string): Promise<{ engine: Engine; capabilities: Capabilities }> {
	if (shared) return shared;
	const [{ createOrtEngine }, capabilities] = await Promise.all([import('../engines/ort'), probeCapabilities()]);
	// WebGPU would time the two models on a backend the model cell may not use; the comparison is about the graph.
	shared = { engine: createOrtEngine({ wasmPaths, capabilities, preferWebgpu: false }), capabilities };
	return shared;
}

/** A ModelRunner (calibration, per-layer errors) over one input, with the worker's engine. */
export function engineRunner(engine: Engine, feeds: Record<string, PlainTensor>): ModelRunner {
	return async (model: Model, names: string[]) => {
		const session = await engine.load(exportOnnx(model));
		try {
			const { values = {} } = await session.run(feeds, { warmup: 0, runs: 1, keepOutputs: true });
			return [Object.fromEntries(names.filter((n) => values[n]).map((n) => [n, values[n]]))];
		} finally {
			await session.release();
		}
	};
}

const argmax = (v: Float32Array) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/**
 * Runs original and variant on the same feeds: one untimed run each for the outputs, `warmup`
 * more, then timed runs in up to 5 alternating rounds. `runs` is the timed runs per model.
 */
export async function compareVariant(
	engine: Engine,
	capabilities: Capabilities,
	original: Uint8Array,
	variant: Uint8Array,
	input: Feeds,
	opts: { warmup: number; runs: number }
): Promise<VariantComparison> {
	const sessions: EngineSession[] = [];
	try {
		const a = await engine.load(original);
		sessions.push(a);
		const b = await engine.load(variant);
		sessions.push(b);
		const ra = await a.run(input.feeds, { warmup: opts.warmup, runs: 1, keepOutputs: true });
		const rb = await b.run(input.feeds, { warmup: opts.warmup, runs: 1, keepOutputs: true });
		const rounds = Math.min(5, opts.runs);
		const timesA: number[] = [];
		const timesB: number[] = [];
		for (let r = 0; r < rounds; r++) {
			const k = Math.floor(opts.runs / rounds) + (r < opts.runs % rounds ? 1 : 0);
			timesA.push(...(await a.run(input.feeds, { warmup: 0, runs: k })).latenciesMs);
			timesB.push(...(await b.run(input.feeds, { warmup: 0, runs: k })).latenciesMs);
		}
		const fidelity: Record<string, Fidelity> = {};
		const classes: VariantComparison['classes'] = [];
		for (const [name, ref] of Object.entries(ra.values ?? {})) {
			const got = rb.values?.[name];
			if (!got) throw new Error(`The variant has no output '${name}'.`);
			const dims = ra.outputs.find((o) => o.name === name)?.dims ?? [ref.length];
			const last = dims.length ? dims[dims.length - 1] : 1;
			fidelity[name] = compareTensor(ref, got, last);
			if (last > 1 && ref.length === last) classes.push({ output: name, original: argmax(ref), variant: argmax(got) });
		}
		const original_ = latencyStats(timesA, opts.warmup + 1);
		const variant_ = latencyStats(timesB, opts.warmup + 1);
		const backend = a.backend;
		return {
			fidelity,
			classes,
			original: original_,
			variant: variant_,
			latencyRatio: variant_.medianMs / original_.medianMs,
			backend,
			capabilities,
			basis: `measured in this browser: ${opts.warmup + 1} untimed then ${opts.runs} timed runs each, alternating in ${rounds} rounds, ${backend.ep}${backend.ep === 'wasm' ? `, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}` : ''}`,
			inputBasis: input.basis
		};
	} finally {
		for (const s of sessions) await s.release();
	}
}
