#!/usr/bin/env node
/**
 * tfjs-sync: puts TensorFlow.js's runtime files and the project's TF.js zoo model where the app serves them.
 *
 *   node scripts/tfjs-sync.js
 *
 * 1. Copies @tensorflow/tfjs-backend-wasm's .wasm builds to static/tfjs/ (the engine calls
 *    `setWasmPaths(base + 'tfjs/')`, so nothing is fetched from a CDN). Skipped when size and mtime match.
 * 2. Writes the tiny face detector of @vladmandic/face-api as a TF.js graph model to
 *    static/models/tfjs/tiny-face-detector/: model.json (architecture from models/tfjs/tiny-face-detector.js),
 *    face-api's weight shard unchanged, and a small shard of the constants face-api keeps in code.
 * Plain Node ESM with built-ins only, because it runs during `npm install` before anything else works.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSTS_BIN, FACE_API_MODEL_DIR, WEIGHTS_MANIFEST, tinyFaceDetectorGraph } from '../models/tfjs/tiny-face-detector.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => relative(root, p);
const wasmDist = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const wasmOut = join(root, 'static', 'tfjs');
const faceOut = join(root, 'static', 'models', 'tfjs', 'tiny-face-detector');

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

function syncFaceDetector() {
	const dir = join(root, FACE_API_MODEL_DIR);
	const manifestPath = join(dir, WEIGHTS_MANIFEST);
	if (!existsSync(manifestPath)) fail(`${rel(manifestPath)} is missing — is @vladmandic/face-api installed?`);
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
	const { modelJson, constsBin } = tinyFaceDetectorGraph(manifest);
	mkdirSync(faceOut, { recursive: true });
	let copied = 0;
	for (const path of manifest.flatMap((g) => g.paths)) copied += copyIfChanged(join(dir, path), join(faceOut, path)) ? 1 : 0;
	writeFileSync(join(faceOut, CONSTS_BIN), constsBin);
	writeFileSync(join(faceOut, 'model.json'), JSON.stringify(modelJson));
	return copied;
}

const wasm = syncWasm();
const face = syncFaceDetector();
console.log(`tfjs-sync: ${wasm} wasm file(s) copied to ${rel(wasmOut)}; tiny face detector written to ${rel(faceOut)} (${face} shard(s) copied)`);
