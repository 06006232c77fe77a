import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findEntry, inputShapes, parseManifest, pipelineStages } from './manifest.ts';

const raw = (): Record<string, unknown> & { models: Record<string, unknown>[] } =>
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
});
