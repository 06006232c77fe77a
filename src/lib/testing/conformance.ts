/** Where the ONNX conformance corpus lives, and how to read one of its tests. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readTensorProto, type NamedTensor } from './tensor-proto';

/**
 * `<repo>/../shared/onnx-conformance` (resolved from the working directory, which Vitest sets to
 * the repository root), or null where it is absent, as in a user's clone.
 */
export function conformanceDir(): string | null {
	const dir = resolve(process.cwd(), '..', 'shared', 'onnx-conformance');
	return existsSync(join(dir, 'manifest.json')) ? dir : null;
}

/** One manifest entry (the fields the tests use; see the corpus README for all). */
export interface ConformanceEntry {
	family: string;
	expanded: boolean;
	ir_version: number;
	opset_import: Record<string, number>;
	inputs: { name: string; type: string }[];
	outputs: { name: string; type: string }[];
	onnxruntime_web_1_30_0: { status: 'pass' | 'mismatch' | 'error'; detail?: string };
}

/** The manifest: test name (`test_add`) → entry. */
export function readManifest(dir: string): Record<string, ConformanceEntry> {
	return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
}

/** A conformance test's files: the model bytes and its data set's inputs and expected outputs, in graph order. */
export interface ConformanceCase {
	name: string;
	model: Uint8Array;
	inputs: NamedTensor[];
	outputs: NamedTensor[];
}

/** Reads `node/<name>/model.onnx` and `test_data_set_0/{input,output}_N.pb`. */
export function readConformanceCase(dir: string, name: string): ConformanceCase {
	const testDir = join(dir, 'node', name);
	const dataDir = join(testDir, 'test_data_set_0');
	const files = readdirSync(dataDir);
	const read = (prefix: string) =>
		files
			.filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
			.sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
			.map((f) => readTensorProto(readFileSync(join(dataDir, f))));
	return { name, model: readFileSync(join(testDir, 'model.onnx')), inputs: read('input_'), outputs: read('output_') };
}
