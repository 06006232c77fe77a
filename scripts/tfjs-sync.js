#!/usr/bin/env node
/**
 * tfjs-sync: puts TensorFlow.js's runtime files and the zoo's TF.js models where the app serves them.
 *
 *   node scripts/tfjs-sync.js            copy + verify (run by `npm install` and `npm run build`, after zoo-sync)
 *   node scripts/tfjs-sync.js --rehash   recompute each TF.js file's `bytes`/`sha256` and the entry's `bytes`
 *                                        in models/manifest.json (after bumping a package or changing a generator)
 *
 * 1. Copies @tensorflow/tfjs-backend-wasm's .wasm builds to static/tfjs/ (the engine calls
 *    `setWasmPaths(base + 'tfjs/')`, so nothing is fetched from a CDN). Skipped when size and mtime match.
 * 2. For each `tfjsModels` entry of models/manifest.json, writes its files to static/models/tfjs/<id>/: a file
 *    with `origin: 'package'` is read from `node_modules/<package>/<path>`, a `'generated'` one is written by
 *    the `generate(packageDir, read)` export of the script at `path` (the tiny face detector's model.json,
 *    models/tfjs/tiny-face-detector.js). Every file must have the manifest's size and sha256, generated ones
 *    too, so a change in what a generator writes fails here; it exits 1 naming the file.
 * Plain Node ESM with built-ins only, because it runs during `npm install` before anything else works.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => relative(root, p);
const manifestPath = join(root, 'models', 'manifest.json');
const wasmDist = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const wasmOut = join(root, 'static', 'tfjs');
const modelsOut = join(root, 'static', 'models', 'tfjs');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** JSON with tabs, arrays of plain values on one line (as zoo-sync writes the manifest). */
const toJson = (value) =>
	JSON.stringify(value, null, '\t').replace(/\[\s*([^[\]{}]*?)\s*\]/g, (_, items) => `[${items.split(/,\s*/).join(', ')}]`) + '\n';

function fail(message) {
	console.error(`tfjs-sync: ${message}`);
	process.exit(1);
}

/** Copies unless the destination has the same size and mtime; returns whether it copied. */
function copyIfChanged(src, dest) {
	const s = statSync(src);
	if (existsSync(dest)) {
		const d = statSync(dest);
		if (d.size === s.size && Math.abs(d.mtimeMs - s.mtimeMs) < 1) return false;
	}
	copyFileSync(src, dest);
	utimesSync(dest, s.atime, s.mtime);
	return true;
}

function syncWasm() {
	if (!existsSync(wasmDist)) fail(`${rel(wasmDist)} is missing — is @tensorflow/tfjs-backend-wasm installed?`);
	const files = readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'));
	if (files.length === 0) fail(`${rel(wasmDist)} holds no .wasm files`);
	mkdirSync(wasmOut, { recursive: true });
	return files.filter((f) => copyIfChanged(join(wasmDist, f), join(wasmOut, f))).length;
}

const read = (path) => {
	if (!existsSync(path)) fail(`${rel(path)} is missing — is its npm package installed?`);
	return readFileSync(path);
};

/** The bytes of each file of `entry`, by name, from the package or the generator. */
async function entryFiles(entry) {
	const packageDir = join(root, 'node_modules', entry.source.package);
	const version = JSON.parse(read(join(packageDir, 'package.json')).toString('utf8')).version;
	if (version !== entry.source.version) fail(`${entry.id}: manifest pins ${entry.source.package}@${entry.source.version}, node_modules has ${version}`);
	const generated = {};
	for (const path of new Set(entry.files.filter((f) => f.origin === 'generated').map((f) => f.path))) {
		const { generate } = await import(pathToFileURL(join(root, path)).href);
		if (typeof generate !== 'function') fail(`${entry.id}: ${path} has no generate() export`);
		Object.assign(generated, generate(packageDir, read));
	}
	return entry.files.map((file) => {
		const bytes = file.origin === 'package' ? read(join(packageDir, file.path)) : generated[file.name];
		if (!bytes) fail(`${entry.id}: ${file.path} did not generate ${file.name}`);
		return { file, bytes };
	});
}

async function syncModels(manifest, rehash) {
	let written = 0;
	for (const entry of manifest.tfjsModels ?? []) {
		const out = join(modelsOut, entry.id);
		mkdirSync(out, { recursive: true });
		for (const { file, bytes } of await entryFiles(entry)) {
			const hash = sha256(bytes);
			if (rehash) {
				Object.assign(file, { bytes: bytes.length, sha256: hash });
			} else if (hash !== file.sha256 || bytes.length !== file.bytes) {
				fail(`${entry.id}: ${file.name} (${file.origin} from ${file.path}) has sha256 ${hash} (${bytes.length} bytes), manifest expects ${file.sha256} (${file.bytes} bytes)`);
			}
			const dest = join(out, file.name);
			if (existsSync(dest) && statSync(dest).size === bytes.length && sha256(readFileSync(dest)) === hash) continue;
			writeFileSync(dest, bytes);
			written++;
		}
		if (rehash) entry.bytes = entry.files.reduce((sum, f) => sum + f.bytes, 0);
	}
	return written;
}

const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
if (process.argv.includes('--rehash')) {
	await syncModels(manifest, true);
	writeFileSync(manifestPath, toJson(manifest));
	console.log(`tfjs-sync: rewrote ${rel(manifestPath)} (${(manifest.tfjsModels ?? []).map((e) => `${e.id} ${e.bytes} bytes`).join(', ')})`);
} else {
	const wasm = syncWasm();
	const written = await syncModels(manifest, false);
	console.log(`tfjs-sync: ${wasm} wasm file(s) copied to ${rel(wasmOut)}; ${(manifest.tfjsModels ?? []).length} TF.js zoo model(s) verified (${written} file(s) written to ${rel(modelsOut)})`);
}
