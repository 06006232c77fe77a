/**
 * ONNX import: bytes of a `.onnx` file → the IR `Model`, decoded with protobufjs (`onnx-proto`),
 * then validated. Every failure is a ModelFormatError whose message names the problem.
 */
import type { Model } from '../../ir/types';
import { validateGraph } from '../../ir/validate';
import { ModelFormatError, STILL_WORKS } from '../errors';
import { describeFileKind } from '../sniff';
import { graphFromProto } from './graph-from-proto';
import { type Int64, int64ToNumber, onnx } from './proto';

/**
 * Largest file accepted, in bytes: 2 GiB − 1, the most a protobuf message may hold and the most a
 * wasm32 onnxruntime can address as one buffer. Bigger models need external data files.
 */
export const MAX_MODEL_BYTES = 2 ** 31 - 1;

function label(fileName?: string): string {
	return fileName ? `'${fileName}'` : 'The file';
}

/**
 * Refuses a file over MAX_MODEL_BYTES before anything is decoded or copied.
 * @param byteLength the file's size in bytes (`File.size` works before reading it).
 * @throws ModelFormatError ('too-large').
 */
export function checkModelSize(byteLength: number, fileName?: string): void {
	if (byteLength > MAX_MODEL_BYTES) {
		const gib = (byteLength / 2 ** 30).toFixed(2);
		throw new ModelFormatError('too-large', `${label(fileName)} is ${gib} GiB; a single ONNX file can be at most 2 GiB (the protobuf and 32-bit WebAssembly limit). Save it with external data and load a smaller model, or quantize it first. ${STILL_WORKS}`, fileName);
	}
}

function decodeModel(bytes: Uint8Array, fileName?: string) {
	try {
		return onnx.ModelProto.decode(bytes);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		if (/index out of range/i.test(reason)) {
			throw new ModelFormatError('truncated', `${label(fileName)} ends in the middle of the model (${bytes.length} bytes read): it looks truncated, perhaps by an interrupted download or copy. Download it again. ${STILL_WORKS}`, fileName);
		}
		throw new ModelFormatError('not-onnx', `${label(fileName)} is not a readable ONNX model (protobuf decoding failed: ${reason}). ${STILL_WORKS}`, fileName);
	}
}

/**
 * Imports an ONNX model (opsets 7..25, IR versions up to 13; unknown operators are kept, not refused).
 * Weight bytes of `raw_data` tensors are views into `bytes`, so keep it unmodified.
 * @param fileName used in error messages only.
 * @throws ModelFormatError with code 'empty', 'truncated', 'not-onnx', 'too-large', 'invalid' or 'unsupported'.
 */
export function importOnnx(bytes: Uint8Array, fileName?: string): Model {
	checkModelSize(bytes.byteLength, fileName);
	if (bytes.byteLength === 0) {
		throw new ModelFormatError('empty', `${label(fileName)} is empty (0 bytes), so there is no model to read. Check that the file was saved or downloaded completely. ${STILL_WORKS}`, fileName);
	}
	const kind = bytes[0] === 0x08 ? null : describeFileKind(bytes);
	if (kind) {
		throw new ModelFormatError('not-onnx', `${label(fileName)} looks like ${kind}, not an ONNX model. Choose a .onnx file exported from PyTorch, TensorFlow or another framework. ${STILL_WORKS}`, fileName);
	}
	// A Node Buffer would make every raw_data view a Buffer too; plain Uint8Array views keep the IR uniform.
	const plain = bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const proto = decodeModel(plain, fileName);
	if (!proto.graph) {
		throw new ModelFormatError('invalid', `${label(fileName)} decodes as protobuf but holds no ONNX graph, so it is not an ONNX model (or it is a different protobuf file). ${STILL_WORKS}`, fileName);
	}
	const irVersion = int64ToNumber(proto.irVersion as Int64);
	const graph = withFileName(() => graphFromProto(proto.graph!), fileName);
	const issues = validateGraph(graph);
	if (issues.length) {
		const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
		throw new ModelFormatError('invalid', `${label(fileName)} is not a valid ONNX graph: ${issues[0].message}${more} ${STILL_WORKS}`, fileName);
	}
	const metadata: Record<string, string> = {};
	for (const p of proto.metadataProps ?? []) metadata[p.key ?? ''] = p.value ?? '';
	return {
		format: 'onnx',
		graph,
		irVersion,
		opsetImports: (proto.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: int64ToNumber(o.version as Int64) })),
		producerName: proto.producerName ?? '',
		producerVersion: proto.producerVersion ?? '',
		...(proto.docString ? { docString: proto.docString } : {}),
		metadata
	};
}

/** Adds the file name and the still-works note to a ModelFormatError thrown deep in the converters. */
function withFileName<T>(convert: () => T, fileName?: string): T {
	try {
		return convert();
	} catch (error) {
		if (error instanceof ModelFormatError && !error.fileName) {
			throw new ModelFormatError(error.code, `${label(fileName)}: ${error.message} ${STILL_WORKS}`, fileName);
		}
		throw error;
	}
}
