import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findEntry, inputShapes, parseManifest, pipelineStages, zooEntries } from './manifest.ts';

type RawEntry = Record<string, unknown> & { files?: Record<string, unknown>[] };
const raw = (): Record<string, unknown> & { models: RawEntry[]; tfjsModels: RawEntry[] } =>
	JSON.parse(readFileSync(new URL('../../../../models/manifest.json', import.meta.url), 'utf8'));

describe('zoo manifest', () => {
	it('models/manifest.json is valid and holds the required zoo', () => {
		const manifest = parseManifest(raw());
		const ids = manifest.models.map((m) => m.id);
		for (const id of [
			'ppocr-v4-det', 'ppocr-mobile-v2-cls', 'ppocr-v4-rec',
			'oww-melspectrogram', 'oww-embedding', 'oww-hey-jarvis', 'silero-vad-v5'
		]) {
			expect(ids).toContain(id);
		}
		expect(pipelineStages(manifest, 'openwakeword').map((m) => m.id)).toEqual([
			'oww-melspectrogram', 'oww-embedding', 'oww-hey-jarvis'
		]);
		expect(pipelineStages(manifest, 'ppocr').map((m) => m.id)).toEqual([
			'ppocr-v4-det', 'ppocr-mobile-v2-cls', 'ppocr-v4-rec'
		]);
	});

	it('resolves default input shapes, and user dims override them', () => {
		const manifest = parseManifest(raw());
		expect(inputShapes(findEntry(manifest, 'ppocr-v4-det'))).toEqual({ x: [1, 3, 640, 640] });
		expect(inputShapes(findEntry(manifest, 'ppocr-v4-rec'), { 'p2o.DynamicDimension.1': 640 })).toEqual({
			x: [1, 3, 48, 640]
		});
		expect(inputShapes(findEntry(manifest, 'silero-vad-v5'))).toEqual({
			input: [1, 512], state: [2, 1, 128], sr: []
		});
		expect(inputShapes(findEntry(manifest, 'oww-hey-jarvis'))).toEqual({ 'x.1': [1, 16, 96] });
	});

	it('rejects a bad hash, a duplicate id, a dim without a value and a dangling pipeline stage', () => {
		const badHash = raw();
		badHash.models[0].sha256 = 'abc';
		expect(() => parseManifest(badHash)).toThrow(/models\.0\.sha256/);

		const duplicate = raw();
		duplicate.models.push(duplicate.models[0]);
		expect(() => parseManifest(duplicate)).toThrow(/ppocr-v4-det: duplicate id/);

		const missingDim = raw();
		missingDim.models[0].defaultDims = {};
		expect(() => parseManifest(missingDim)).toThrow(/ppocr-v4-det: input 'x' dim 'p2o.DynamicDimension.0'/);

		const dangling = raw();
		(dangling.pipelines as { stages: string[] }[])[0].stages.push('nope');
		expect(() => parseManifest(dangling)).toThrow(/unknown stage 'nope'/);

		expect(() => parseManifest({ schemaVersion: 2, pipelines: [], models: [] })).toThrow(/schemaVersion/);
	});

	it('holds the TF.js face detector as a tfjs entry with model.json first, each file pinned', () => {
		const manifest = parseManifest(raw());
		const entry = findEntry(manifest, 'tiny-face-detector');
		expect(entry.format).toBe('tfjs');
		if (entry.format !== 'tfjs') return;
		expect(entry.files.map((f) => [f.name, f.origin])).toEqual([
			['model.json', 'generated'],
			['tiny_face_detector_model.bin', 'package'],
			['tiny_face_detector_consts.bin', 'generated']
		]);
		expect(entry.bytes).toBe(entry.files.reduce((s, f) => s + f.bytes, 0));
		expect(inputShapes(entry)).toEqual({ image: [1, 416, 416, 3] });
		// ONNX entries without a format field read as ONNX; the picker lists ONNX first, then TF.js.
		expect(manifest.models.every((m) => m.format === 'onnx')).toBe(true);
		expect(zooEntries(manifest).map((m) => m.id).at(-1)).toBe('tiny-face-detector');
		// The manifest before TF.js entries existed still parses, with none.
		const old = raw();
		delete (old as Record<string, unknown>).tfjsModels;
		expect(parseManifest(old).tfjsModels).toEqual([]);
	});

	it('rejects a TF.js entry with a bad file hash, model.json not first, a repeated file, a wrong total, an unknown origin, or no format', () => {
		const mutate = (change: (e: RawEntry) => void) => {
			const m = raw();
			change(m.tfjsModels[0]);
			return () => parseManifest(m);
		};
		expect(mutate((e) => (e.files![1].sha256 = 'B7503C'))).toThrow(/tfjsModels\.0\.files\.1\.sha256: sha256 must be 64 lower-case hex digits/);
		expect(mutate((e) => e.files!.reverse())).toThrow(/tiny-face-detector: its first file must be model.json, not 'tiny_face_detector_consts.bin'/);
		expect(mutate((e) => e.files!.push({ ...e.files![1] }))).toThrow(/tiny-face-detector: file 'tiny_face_detector_model.bin' is listed twice/);
		expect(mutate((e) => (e.bytes = 1000))).toThrow(/tiny-face-detector: bytes is 1000 but its files add up to 208184/);
		expect(mutate((e) => (e.files![0].origin = 'cdn'))).toThrow(/tfjsModels\.0\.files\.0\.origin/);
		expect(mutate((e) => (e.files![2].name = '../escape.bin'))).toThrow(/files\.2\.name: file name must be a plain name/);
		expect(mutate((e) => (e.files = [e.files![0]]))).toThrow(/tfjsModels\.0\.files/);
		expect(mutate((e) => delete e.format)).toThrow(/tfjsModels\.0\.format/);
		expect(mutate((e) => (e.id = 'ppocr-v4-det'))).toThrow(/ppocr-v4-det: duplicate id/);
	});
});
