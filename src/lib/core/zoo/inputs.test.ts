import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthClip } from './audio-clip.ts';
import { GLYPH_HEIGHT, GLYPH_WIDTH, fontCharacters, glyphInk } from './bitmap-font.ts';
import { OCR_LINES, ocrLine, ocrPage, representativeInput } from './inputs.ts';
import { findEntry, inputShapes, parseManifest, zooEntries } from './manifest.ts';
import { mulberry32 } from './prng.ts';
import { INK, PAPER } from './text-image.ts';
import { embeddingsToHeadInput, melToEmbeddingWindows, WAKEWORD_CLIP_SAMPLES } from './wakeword.ts';

const manifest = parseManifest(
	JSON.parse(readFileSync(new URL('../../../../models/manifest.json', import.meta.url), 'utf8'))
);

const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) =>
	Buffer.compare(
		new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
		new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
	) === 0;

describe('representative inputs', () => {
	it('every zoo model gets inputs of its declared names, dtypes and default shapes, deterministically', () => {
		for (const entry of zooEntries(manifest)) {
			const feeds = representativeInput(entry);
			const shapes = inputShapes(entry);
			expect(Object.keys(feeds).sort()).toEqual(entry.inputs.map((i) => i.name).sort());
			for (const input of entry.inputs) {
				const t = feeds[input.name];
				expect(t.dtype, `${entry.id}.${input.name}`).toBe(input.dtype);
				expect(t.dims, `${entry.id}.${input.name}`).toEqual(shapes[input.name]);
				expect(t.data.length).toBe(shapes[input.name].reduce((a, b) => a * b, 1));
				if (t.data instanceof Float32Array) expect(t.data.every(Number.isFinite)).toBe(true);
			}
			const again = representativeInput(entry);
			for (const name of Object.keys(feeds)) expect(sameBytes(again[name].data, feeds[name].data), name).toBe(true);
		}
	});

	it('follows user dims, repeating the example along the batch dim', () => {
		const rec = findEntry(manifest, 'ppocr-v4-rec');
		const one = representativeInput(rec).x.data;
		const two = representativeInput(rec, { 'p2o.DynamicDimension.0': 2 }).x;
		expect(two.dims).toEqual([2, 3, 48, 320]);
		expect(sameBytes(two.data.subarray(one.length), one)).toBe(true);
		expect(representativeInput(rec, { 'p2o.DynamicDimension.1': 640 }).x.dims).toEqual([1, 3, 48, 640]);
	});

	it('draws ink only inside the reported text boxes (plus the one-pixel blur)', () => {
		const { image, boxes } = ocrPage(640, 640);
		expect(boxes.map((b) => b.text)).toEqual(OCR_LINES);
		const near = (x: number, y: number) => boxes.some((b) => x >= b.x0 - 1 && x <= b.x1 && y >= b.y0 - 1 && y <= b.y1);
		let inkInside = 0;
		let markedOutside = 0;
		for (let y = 0; y < image.height; y++) {
			for (let x = 0; x < image.width; x++) {
				const p = image.pixels[y * image.width + x];
				if (!near(x, y)) markedOutside += p === PAPER ? 0 : 1;
				else if (p === INK) inkInside++;
			}
		}
		expect(markedOutside).toBe(0);
		expect(inkInside).toBeGreaterThan(1000);
	});

	it('normalises OCR lines to [−1, 1] and fits whole words', () => {
		const { box } = ocrLine(192, 48);
		expect(box.text).toBe('TIGHTFIT');
		expect(ocrLine(320, 48).box.text).toBe('TIGHTFIT 2025');
		const x = representativeInput(findEntry(manifest, 'ppocr-v4-rec')).x.data as Float32Array;
		expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
		expect(Math.max(...x)).toBeLessThanOrEqual(1);
	});

	it('audio: a shorter clip is a prefix of a longer one, in [−1, 1], not silent', () => {
		const long = synthClip(WAKEWORD_CLIP_SAMPLES);
		expect(synthClip(1280)).toEqual(long.subarray(0, 1280));
		expect(long.every((s) => Math.abs(s) <= 1)).toBe(true);
		const rms = Math.sqrt(long.reduce((a, s) => a + s * s, 0) / long.length);
		expect(rms).toBeGreaterThan(0.05);
		const vad = representativeInput(findEntry(manifest, 'silero-vad-v5'));
		expect(vad.sr).toEqual({ dtype: 'int64', dims: [], data: BigInt64Array.from([16000n]) });
		expect((vad.state.data as Float32Array).every((v) => v === 0)).toBe(true);
	});

	it('the bitmap font has a 5×7 glyph for every character, and only the blank is empty', () => {
		for (const char of fontCharacters) {
			let ink = 0;
			for (let y = 0; y < GLYPH_HEIGHT; y++) for (let x = 0; x < GLYPH_WIDTH; x++) ink += glyphInk(char, x, y) ? 1 : 0;
			expect(ink > 0, `'${char}'`).toBe(char !== ' ');
		}
		expect(() => glyphInk('@', 0, 0)).toThrow(/'@'/);
	});

	it('mulberry32 is reproducible and seed-dependent', () => {
		const a = mulberry32(42);
		const b = mulberry32(42);
		const c = mulberry32(43);
		const xs = Array.from({ length: 5 }, a);
		expect(Array.from({ length: 5 }, b)).toEqual(xs);
		expect(Array.from({ length: 5 }, c)).not.toEqual(xs);
		expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
	});
});

describe('openWakeWord glue', () => {
	it('windows mel frames 76 at a time every 8 frames, scaled x/10 + 2', () => {
		const frames = 196;
		const data = Float32Array.from({ length: frames * 32 }, (_, i) => i);
		const windows = melToEmbeddingWindows({ dtype: 'float32', dims: [1, 1, frames, 32], data });
		expect(windows.dims).toEqual([16, 76, 32, 1]);
		const w = windows.data as Float32Array;
		expect(w[0]).toBeCloseTo(2);
		expect(w[3 * 76 * 32]).toBeCloseTo((3 * 8 * 32) / 10 + 2);
		expect(w[16 * 76 * 32 - 1]).toBeCloseTo((frames * 32 - 1) / 10 + 2);
		expect(() => melToEmbeddingWindows({ dtype: 'float32', dims: [1, 1, 75, 32], data: new Float32Array(75 * 32) })).toThrow();
	});

	it('feeds the head the last 16 embeddings', () => {
		const data = Float32Array.from({ length: 20 * 96 }, (_, i) => i);
		const head = embeddingsToHeadInput({ dtype: 'float32', dims: [20, 1, 1, 96], data });
		expect(head.dims).toEqual([1, 16, 96]);
		expect((head.data as Float32Array)[0]).toBe(4 * 96);
	});
});
