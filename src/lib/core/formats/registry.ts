/**
 * The format plugins behind `openModel`: each has a cheap `match` on the first bytes and file name
 * and a full `open`. Adding a format (TF.js, TFLite) is one more entry in FORMATS.
 */
import type { Model } from '../ir/types';
import { ModelFormatError, STILL_WORKS } from './errors';
import { checkModelSize, importOnnx } from './onnx/import';
import { matchOnnx } from './onnx/match';
import { describeFileKind } from './sniff';
import { findModelJson, importTfjsJson, matchTfjs, openTfjs } from './tfjs/import';
import type { NamedFile } from './tfjs/model-json';
import { importTflite, matchTflite } from './tflite/import';

/** One importer. `match` must be cheap: it may look at the name and the first bytes only. */
export interface ModelFormat {
	id: Model['format'];
	/** What the picker calls it ("ONNX"). */
	label: string;
	/** File extensions it reads, with the dot. */
	extensions: string[];
	match(bytes: Uint8Array, fileName: string): boolean | 'maybe';
	open(bytes: Uint8Array, fileName: string): Model;
}

export const FORMATS: readonly ModelFormat[] = [
	{ id: 'onnx', label: 'ONNX', extensions: ['.onnx'], match: matchOnnx, open: importOnnx },
	{ id: 'tflite', label: 'TFLite', extensions: ['.tflite'], match: matchTflite, open: importTflite },
	// A lone model.json opens only when its manifest needs no shards; openFiles takes it with its shards.
	{ id: 'tfjs', label: 'TensorFlow.js', extensions: ['.json'], match: matchTfjs, open: importTfjsJson }
];

/**
 * Opens a multi-file drop: a TF.js model.json with its weight shards (matched by name), or else
 * the one file that is a model. Shards and other extra files are ignored.
 * @throws ModelFormatError as openModel, or from openTfjs for a missing or wrong-length shard.
 */
export function openFiles(files: NamedFile[]): Model {
	for (const f of files) checkModelSize(f.bytes.byteLength, f.name);
	if (findModelJson(files)) return openTfjs(files);
	if (files.length === 1) return openModel(files[0].bytes, files[0].name);
	const single = files.filter((f) => FORMATS.some((format) => format.id !== 'tfjs' && format.match(f.bytes, f.name) === true));
	if (single.length === 1) return openModel(single[0].bytes, single[0].name);
	const names = files.map((f) => `'${f.name}'`).join(', ');
	throw new ModelFormatError('invalid', `${single.length ? 'More than one model' : 'No model'} among the files given (${names}): drop one .onnx or .tflite file, or a TensorFlow.js model.json with its .bin shards. ${STILL_WORKS}`);
}

/**
 * Opens model bytes with the first format that matches for sure, else the first that may match.
 * @throws ModelFormatError ('too-large', 'empty', 'not-onnx', …) from the sniffing or the importer.
 */
export function openModel(bytes: Uint8Array, fileName: string): Model {
	checkModelSize(bytes.byteLength, fileName);
	const sure = FORMATS.find((f) => f.match(bytes, fileName) === true);
	const maybe = sure ?? FORMATS.find((f) => f.match(bytes, fileName) === 'maybe');
	if (maybe) return maybe.open(bytes, fileName);
	const kind = describeFileKind(bytes);
	// Unrecognised bytes go to ONNX, whose decoder explains precisely what is wrong with them.
	if (bytes.byteLength === 0 || !kind) return FORMATS[0].open(bytes, fileName);
	const accepted = FORMATS.map((f) => `${f.label} (${f.extensions.join(', ')})`).join(', ');
	throw new ModelFormatError('not-onnx', `'${fileName}' looks like ${kind}, not a model; Tightfit reads ${accepted}. ${STILL_WORKS}`, fileName);
}
