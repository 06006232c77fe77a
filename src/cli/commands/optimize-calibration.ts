/**
 * What `tightfit optimize --quantize int8-static` calibrates on, in this order: the inputs given with
 * `--calibration-input <file.json>`; for a zoo model (its sha256 matches an entry of
 * models/manifest.json) the zoo's representative input (src/lib/core/zoo/inputs.ts); otherwise
 * seeded uniform values in [−1, 1], which the command announces with a warning, since activation
 * ranges measured on noise can be far from those of real data.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportOnnx } from '../../lib/core/formats/onnx/export';
import type { Model } from '../../lib/core/ir/types';
import type { ModelRunner } from '../../lib/core/transforms/calibration';
import { representativeInput } from '../../lib/core/zoo/inputs';
import { parseManifest } from '../../lib/core/zoo/manifest';
import { inputError } from '../errors';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** One input tensor, as the runner feeds it. */
export interface CalibrationTensor {
	dtype: 'float32' | 'int64';
	dims: number[];
	data: Float32Array | BigInt64Array;
}

export interface CalibrationInputs {
	feeds: Record<string, CalibrationTensor>;
	/** 'file <path>', 'zoo <id>' or 'seeded uniform [-1, 1]': said in the report. */
	source: string;
	/** Set when the inputs are the seeded fallback: the one-line warning for stderr. */
	warning?: string;
}

/** Seeded uniform float inputs in [−1, 1), shaped by the graph's inputs and `dims` (unnamed dims 1). */
function seededFeeds(model: Model, dims: Record<string, number>): Record<string, CalibrationTensor> {
	let s = 0x9e3779b9;
	const feeds: Record<string, CalibrationTensor> = {};
	for (const input of model.graph.inputs) {
		const shape = (input.shape ?? []).map((d) => (typeof d === 'number' ? d : dims[d] ?? 1));
		const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => {
			s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
			return (s / 2 ** 32) * 2 - 1;
		});
		feeds[input.name] = { dtype: 'float32', dims: shape, data };
	}
	return feeds;
}

/**
 * Parses a `--calibration-input` file: `{ "<input name>": { "dims": [..], "data": [..], "dtype"?:
 * "float32" | "int64" } }`, one entry per graph input.
 * @throws CliError (exit 1) naming the file and what is wrong with it.
 */
export function parseCalibrationFile(text: string, path: string, model: Model): Record<string, CalibrationTensor> {
	const bad = (why: string) => inputError(`--calibration-input ${path}: ${why}`);
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		throw bad(`not JSON (${(e as Error).message})`);
	}
	if (!json || typeof json !== 'object' || Array.isArray(json)) throw bad('expected an object of input name → { dims, data }');
	const entries = json as Record<string, unknown>;
	const feeds: Record<string, CalibrationTensor> = {};
	for (const input of model.graph.inputs) {
		const entry = entries[input.name] as { dims?: unknown; data?: unknown; dtype?: unknown } | undefined;
		if (!entry) throw bad(`no entry for the model's input '${input.name}' (it has ${model.graph.inputs.map((i) => i.name).join(', ')})`);
		const { dims, data } = entry;
		const dtype = entry.dtype ?? 'float32';
		if (dtype !== 'float32' && dtype !== 'int64') throw bad(`'${input.name}': dtype must be float32 or int64, got ${JSON.stringify(dtype)}`);
		if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d >= 0)) throw bad(`'${input.name}': dims must be an array of non-negative integers`);
		if (!Array.isArray(data) || !data.every((v) => typeof v === 'number' && Number.isFinite(v))) throw bad(`'${input.name}': data must be an array of finite numbers`);
		const count = (dims as number[]).reduce((a, b) => a * b, 1);
		if (data.length !== count) throw bad(`'${input.name}': dims [${dims.join(', ')}] hold ${count} values, data has ${data.length}`);
		if (input.shape && input.shape.length !== dims.length) throw bad(`'${input.name}': the model takes rank ${input.shape.length}, dims [${dims.join(', ')}] are rank ${dims.length}`);
		feeds[input.name] = dtype === 'int64'
			? { dtype, dims: dims as number[], data: BigInt64Array.from(data as number[], (v) => BigInt(Math.trunc(v))) }
			: { dtype, dims: dims as number[], data: Float32Array.from(data as number[]) };
	}
	const extra = Object.keys(entries).filter((k) => !model.graph.inputs.some((i) => i.name === k));
	if (extra.length) throw bad(`'${extra[0]}' is not an input of the model (it has ${model.graph.inputs.map((i) => i.name).join(', ')})`);
	return feeds;
}

/** The zoo entry whose file has these bytes, if any. */
async function zooEntryOf(bytes: Uint8Array) {
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const manifest = parseManifest(JSON.parse(await readFile(resolve(repoRoot, 'models/manifest.json'), 'utf8')));
	return manifest.models.find((m) => m.sha256 === sha256);
}

/** Chooses the calibration inputs for the model read from `bytes` (see the module comment). */
export async function calibrationInputs(bytes: Uint8Array, model: Model, dims: Record<string, number>, file?: string): Promise<CalibrationInputs> {
	if (file) {
		let text: string;
		try {
			text = await readFile(file, 'utf8');
		} catch (e) {
			throw inputError(`--calibration-input ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
		}
		return { feeds: parseCalibrationFile(text, file, model), source: `file ${file}` };
	}
	const entry = await zooEntryOf(bytes);
	if (entry) return { feeds: representativeInput(entry, dims) as Record<string, CalibrationTensor>, source: `zoo ${entry.id}` };
	return {
		feeds: seededFeeds(model, dims),
		source: 'seeded uniform [-1, 1]',
		warning: 'warning: int8-static calibrates on seeded uniform inputs in [-1, 1] (not a zoo model and no --calibration-input): activation ranges may not match real data'
	};
}

/** A calibration runner: onnxruntime-web (wasm, one thread) on `feeds`, one session per call. */
export async function feedsRunner(feeds: Record<string, CalibrationTensor>): Promise<ModelRunner> {
	const ort = await import('onnxruntime-web');
	ort.env.wasm.numThreads = 1;
	const tensors = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor(v.dtype, v.data, v.dims)]));
	return async (m: Model, names: string[]) => {
		const session = await ort.InferenceSession.create(exportOnnx(m), { executionProviders: ['wasm'] });
		try {
			const out = await session.run(tensors, names);
			return [Object.fromEntries(names.map((n) => [n, out[n].data as Float32Array]))];
		} finally {
			await session.release();
		}
	};
}
