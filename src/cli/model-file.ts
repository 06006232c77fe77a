import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelFormatError } from '../lib/core/formats/errors';
import { openFiles, openModel } from '../lib/core/formats/registry';
import type { NamedFile } from '../lib/core/formats/tfjs/model-json';
import type { Model } from '../lib/core/ir/types';
import { parseManifest, zooEntries } from '../lib/core/zoo/manifest';
import { inputError } from './errors';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function readBytes(path: string, prefix: string): Promise<Uint8Array> {
	try {
		return new Uint8Array(await readFile(path));
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		throw inputError(prefix + (code === 'ENOENT' ? `no such file: ${path}` : code === 'EISDIR' ? `${path} is a directory` : `cannot read ${path}: ${(e as Error).message}`));
	}
}

/** Opens files as the page does (`openFiles`), a format error becoming a one-line input error. */
function open(files: NamedFile[], prefix: string): Model {
	try {
		return files.length === 1 ? openModel(files[0].bytes, files[0].name) : openFiles(files);
	} catch (e) {
		if (e instanceof ModelFormatError) throw inputError(prefix + e.message);
		throw e;
	}
}

/**
 * The shard names a TF.js model.json lists in its weightsManifest, or [] when the bytes are not such a
 * JSON (the importer then says what is wrong with them).
 */
function shardNames(bytes: Uint8Array): string[] {
	try {
		const json = JSON.parse(new TextDecoder().decode(bytes)) as { weightsManifest?: { paths?: unknown }[] };
		if (!Array.isArray(json.weightsManifest)) return [];
		return json.weightsManifest.flatMap((g) => (Array.isArray(g?.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : []));
	} catch {
		return [];
	}
}

/**
 * Reads and opens a model file for a command. A TF.js `model.json` is opened with the weight shards its
 * manifest names, read from the same folder (a missing shard is named by the importer). A file that
 * cannot be read, or that no importer accepts, becomes a one-line input error (exit 1); `label` prefixes
 * the message when the file is one of several.
 */
export async function openModelFile(path: string, label = ''): Promise<Model> {
	const prefix = label ? `${label}: ` : '';
	const bytes = await readBytes(path, prefix);
	const files: NamedFile[] = [{ name: basename(path), bytes }];
	if (/\.json$/i.test(path)) {
		for (const shard of new Set(shardNames(bytes))) {
			const shardPath = resolve(dirname(path), shard);
			// A shard that is not there is left out: openTfjs names it in its message.
			if (existsSync(shardPath)) files.push({ name: basename(shard), bytes: await readBytes(shardPath, prefix) });
		}
	}
	return open(files, prefix);
}

/** A zoo model opened for a command, with the manifest's values for its symbolic dims. */
export interface ZooModel {
	model: Model;
	defaultDims: Record<string, number>;
}

/** The ids of every zoo entry (ONNX and TF.js), from models/manifest.json. */
export async function zooIds(): Promise<string[]> {
	return zooEntries(await readManifest()).map((e) => e.id);
}

async function readManifest() {
	return parseManifest(JSON.parse(await readFile(resolve(repoRoot, 'models/manifest.json'), 'utf8')));
}

/**
 * Opens zoo entry `id` as the page does: an ONNX file from its npm package, a TF.js model as its
 * model.json and shards from static/models/tfjs/<id>/ (written by scripts/tfjs-sync.js at install),
 * through `openFiles`. Undefined when the zoo has no such id.
 */
export async function openZooModel(id: string, label = ''): Promise<ZooModel | undefined> {
	const entry = zooEntries(await readManifest()).find((e) => e.id === id);
	if (!entry) return undefined;
	const prefix = label ? `${label}: ` : '';
	if (entry.format === 'onnx') {
		return { model: await openModelFile(resolve(repoRoot, 'node_modules', entry.source.package, entry.source.path), label), defaultDims: entry.defaultDims };
	}
	const dir = resolve(repoRoot, 'static/models/tfjs', entry.id);
	if (!existsSync(dir)) throw inputError(`${prefix}zoo model "${id}" is not installed at ${dir} (run \`node scripts/tfjs-sync.js\`)`);
	const files = await Promise.all(entry.files.map(async (f) => ({ name: f.name, bytes: await readBytes(resolve(dir, f.name), prefix) })));
	return { model: open(files, prefix), defaultDims: entry.defaultDims };
}
