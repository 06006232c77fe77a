/**
 * TensorFlow.js `model.json` and its weight shards: parsing the JSON, finding the shards among the
 * given files, and decoding the weights (uint8/uint16/float16 quantized weights dequantized as
 * tfjs-core's `io.decodeWeights` does: `q · scale + min`, or the half-precision value).
 */
import { float16ToFloat32 } from '../../ir/half';
import { ModelFormatError, STILL_WORKS } from '../errors';

export interface WeightQuantization {
	dtype: 'uint8' | 'uint16' | 'float16';
	scale?: number;
	min?: number;
	original_dtype?: string;
}

export interface WeightSpec {
	name: string;
	shape: number[];
	dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
	quantization?: WeightQuantization;
}

export interface WeightGroup {
	paths: string[];
	weights: WeightSpec[];
}

export interface ModelJson {
	format?: string;
	generatedBy?: string;
	convertedBy?: string | null;
	modelTopology: Record<string, unknown>;
	weightsManifest: WeightGroup[];
}

/** A decoded weight: float32 or int32 values, dequantized. */
export interface DecodedWeight {
	name: string;
	dtype: 'float32' | 'int32' | 'bool';
	shape: number[];
	values: Float32Array | Int32Array | Uint8Array;
	/** How it was stored in the shard (the quantization dtype, or its own dtype). */
	storedAs: string;
	storedBytes: number;
}

export interface NamedFile {
	name: string;
	bytes: Uint8Array;
}

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** What is wrong with a weightsManifest entry, or undefined: decoding trusts its name, shape and dtypes. */
function weightSpecProblem(w: unknown): string | undefined {
	const spec = w as Partial<WeightSpec> | null;
	if (!spec || typeof spec !== 'object' || typeof spec.name !== 'string') return 'without a "name"';
	if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `'${spec.name}' whose "shape" is not a list of sizes`;
	if (spec.dtype !== 'string' && !Object.hasOwn(STORED_SIZE, spec.dtype ?? '')) return `'${spec.name}' of unknown dtype '${String(spec.dtype)}'`;
	const q = spec.quantization;
	if (q !== undefined && (!q || !['uint8', 'uint16', 'float16'].includes(q.dtype))) return `'${spec.name}' with an unknown quantization`;
	return undefined;
}

/** Parses model.json text. @throws ModelFormatError 'invalid' naming what is wrong. */
export function parseModelJson(bytes: Uint8Array, fileName = 'model.json'): ModelJson {
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
	} catch (error) {
		throw new ModelFormatError('invalid', `'${fileName}' is not valid JSON (${(error as Error).message}), so it cannot be a TensorFlow.js model.json. ${STILL_WORKS}`, fileName);
	}
	const m = json as Partial<ModelJson> | null;
	if (!m || typeof m !== 'object' || typeof m.modelTopology !== 'object' || !m.modelTopology) {
		throw new ModelFormatError('invalid', `'${fileName}' is JSON but has no "modelTopology" object, so it is not a TensorFlow.js model.json. ${STILL_WORKS}`, fileName);
	}
	if (!Array.isArray(m.weightsManifest)) {
		throw new ModelFormatError('invalid', `'${fileName}' has no "weightsManifest" list: the model's weights cannot be found. ${STILL_WORKS}`, fileName);
	}
	for (const group of m.weightsManifest) {
		if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
			throw new ModelFormatError('invalid', `'${fileName}' has a weightsManifest entry without "paths" and "weights" lists. ${STILL_WORKS}`, fileName);
		}
		if (!group.paths.every((p) => typeof p === 'string')) {
			throw new ModelFormatError('invalid', `'${fileName}' has a weightsManifest path that is not a file name. ${STILL_WORKS}`, fileName);
		}
		for (const w of group.weights) {
			const problem = weightSpecProblem(w);
			if (problem) throw new ModelFormatError('invalid', `'${fileName}' lists a weight ${problem}. ${STILL_WORKS}`, fileName);
		}
	}
	return m as ModelJson;
}

const STORED_SIZE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

function decodeOne(spec: WeightSpec, bytes: Uint8Array): DecodedWeight {
	const count = spec.shape.reduce((a, b) => a * b, 1);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const q = spec.quantization;
	const base = { name: spec.name, shape: spec.shape, storedBytes: bytes.byteLength };
	if (q) {
		const int = (q.original_dtype ?? spec.dtype) === 'int32';
		const values = int ? new Int32Array(count) : new Float32Array(count);
		for (let i = 0; i < count; i++) {
			const raw = q.dtype === 'uint8' ? view.getUint8(i) : view.getUint16(2 * i, true);
			values[i] = q.dtype === 'float16' ? float16ToFloat32(raw) : raw * (q.scale ?? 1) + (q.min ?? 0);
		}
		return { ...base, dtype: int ? 'int32' : 'float32', values, storedAs: q.dtype };
	}
	if (spec.dtype === 'bool') return { ...base, dtype: 'bool', values: bytes.slice(), storedAs: 'bool' };
	const values = spec.dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
	for (let i = 0; i < count; i++) values[i] = spec.dtype === 'int32' ? view.getInt32(4 * i, true) : view.getFloat32(4 * i, true);
	return { ...base, dtype: spec.dtype === 'int32' ? 'int32' : 'float32', values, storedAs: spec.dtype };
}

/**
 * Finds each group's shards among `files` (by base name), checks their lengths against the manifest,
 * and decodes every weight.
 * @throws ModelFormatError 'invalid' for a missing shard, 'truncated' for shards shorter than the
 * manifest says, 'invalid' for longer ones, 'unsupported' for string weights.
 */
export function decodeWeights(json: ModelJson, files: NamedFile[], fileName = 'model.json'): Map<string, DecodedWeight> {
	const byName = new Map(files.map((f) => [baseName(f.name), f.bytes]));
	const out = new Map<string, DecodedWeight>();
	for (const group of json.weightsManifest) {
		const missing = group.paths.filter((p) => !byName.has(baseName(p)));
		if (missing.length) {
			const given = files.map((f) => `'${baseName(f.name)}'`).join(', ') || 'none';
			throw new ModelFormatError('invalid', `'${fileName}' needs the weight file${missing.length > 1 ? 's' : ''} ${missing.map((p) => `'${p}'`).join(', ')}, which ${missing.length > 1 ? 'were' : 'was'} not given (files given: ${given}). Drop model.json together with all its .bin shards. ${STILL_WORKS}`, fileName);
		}
		const shards = group.paths.map((p) => byName.get(baseName(p))!);
		const total = shards.reduce((s, b) => s + b.byteLength, 0);
		const all = new Uint8Array(total);
		shards.reduce((at, b) => (all.set(b, at), at + b.byteLength), 0);
		const sizes = group.weights.map((w) => {
			if (w.dtype === 'string') throw new ModelFormatError('unsupported', `'${fileName}' has a string weight '${w.name}', which Tightfit cannot import. ${STILL_WORKS}`, fileName);
			return w.shape.reduce((a, b) => a * b, 1) * STORED_SIZE[w.quantization?.dtype ?? w.dtype];
		});
		const expected = sizes.reduce((a, b) => a + b, 0);
		if (total !== expected) {
			const what = total < expected ? 'shorter' : 'longer';
			throw new ModelFormatError(total < expected ? 'truncated' : 'invalid', `The weight shard${group.paths.length > 1 ? 's' : ''} ${group.paths.map((p) => `'${p}'`).join(', ')} of '${fileName}' hold ${total} bytes, ${what} than the ${expected} bytes its weightsManifest lists (${group.weights.length} weights): a truncated download or a shard of another model. ${STILL_WORKS}`, fileName);
		}
		let at = 0;
		group.weights.forEach((w, k) => {
			out.set(w.name, decodeOne(w, all.subarray(at, at + sizes[k])));
			at += sizes[k];
		});
	}
	return out;
}
