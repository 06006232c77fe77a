import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ModelFormatError } from '../lib/core/formats/errors';
import { openModel } from '../lib/core/formats/registry';
import type { Model } from '../lib/core/ir/types';
import { inputError } from './errors';

/**
 * Reads and opens a model file for a command. A file that cannot be read, or that no importer accepts,
 * becomes a one-line input error (exit 1); `label` prefixes the message when the file is one of several.
 */
export async function openModelFile(path: string, label = ''): Promise<Model> {
	const prefix = label ? `${label}: ` : '';
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(await readFile(path));
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		throw inputError(prefix + (code === 'ENOENT' ? `no such file: ${path}` : code === 'EISDIR' ? `${path} is a directory` : `cannot read ${path}: ${(e as Error).message}`));
	}
	try {
		return openModel(bytes, basename(path));
	} catch (e) {
		if (e instanceof ModelFormatError) throw inputError(prefix + e.message);
		throw e;
	}
}
