/**
 * Representative inputs for the zoo, made by the project itself and identical in Node and the
 * browser: OCR text drawn with the built-in bitmap font, audio from a seeded synthesised clip.
 * Which one a model gets is named by its manifest entry's `representativeInput`.
 */
import { synthClip } from './audio-clip.ts';
import { faceImageNhwc } from './face-image.ts';
import { inputShapes, type ZooEntry } from './manifest.ts';
import { gaussian, mulberry32 } from './prng.ts';
import {
	type GreyImage, type TextBox, blankImage, detNormalisation, drawText, lineNormalisation, soften, toNchw
} from './text-image.ts';
import { GLYPH_HEIGHT, GLYPH_WIDTH } from './bitmap-font.ts';

/** A tensor as onnxruntime-web takes it: element type, dims, and row-major data. */
export interface InputTensor {
	dtype: 'float32' | 'int64';
	dims: number[];
	data: Float32Array | BigInt64Array;
}

/** Input name → tensor, ready to feed a session. */
export type Feeds = Record<string, InputTensor>;

/** The words the OCR inputs are made of; a line takes as many whole words as fit. */
export const OCR_LINES = ['TIGHTFIT 2025', 'EDGE MEMORY 640 KB', 'HELLO WORLD', 'PEAK 12.5 MB', 'OCR 0123456789'];

/** Where Silero's 512-sample chunk starts in the clip: centred on the first syllable's peak. */
export const VAD_CHUNK_OFFSET = 744;

/**
 * Measured on the real pipeline (melspectrogram of `synthClip(31840)`, scaled x/10 + 2, then its 16
 * embeddings): the mean and standard deviation the seeded stand-ins use when a stage is fed alone.
 */
const MEL_FRAME_STATS = { mean: -0.7, std: 1.2, seed: 0x3e1 };
const EMBEDDING_STATS = { mean: 1.6, std: 14.3, seed: 0xe3b };

/**
 * The representative input of `entry` at `dims` (symbolic dim → size; the entry's `defaultDims` fill
 * the rest). A batch dim > 1 repeats the same example. Deterministic: same arguments, same bytes.
 *
 * - `ocr-page` (detector): a light page of the input's size with lines of dark text (`ocrPage`),
 *   ImageNet-normalised as PaddleOCR's DB detector expects.
 * - `ocr-line` (classifier, recognizer): one upright text line (`ocrLine`), normalised to [−1, 1].
 * - `audio-clip` (melspectrogram): the first `samples` samples of `synthClip`.
 * - `oww-mel-window` (embedding): seeded Gaussian frames with the mean and spread of the real scaled
 *   mel frames. Only a stand-in: for frames the melspectrogram really made use `wakewordPipelineInputs`.
 * - `oww-embeddings` (wake-word head): seeded Gaussian embeddings with the real embeddings' mean and
 *   spread. Noise: the head's score on it is arbitrary (0–1 depending on the seed), so for anything
 *   that means something use `wakewordPipelineInputs`, which runs the real stages on the clip.
 * - `vad-chunk` (Silero): `samples` samples of the clip from VAD_CHUNK_OFFSET, zero state, sr 16000.
 * - `face-image` (face detector, NHWC): a drawn face filling half the image, pixels 0–255 (`faceImage`).
 */
export function representativeInput(entry: ZooEntry, dims: Record<string, number> = {}): Feeds {
	const shapes = inputShapes(entry, dims);
	const first = entry.inputs[0];
	const shape = shapes[first.name];
	switch (entry.representativeInput) {
		case 'ocr-page': {
			const [n, , h, w] = shape;
			return { [first.name]: float(shape, repeat(toNchw(ocrPage(w, h).image, detNormalisation), n)) };
		}
		case 'ocr-line': {
			const [n, , h, w] = shape;
			return { [first.name]: float(shape, repeat(toNchw(ocrLine(w, h).image, lineNormalisation), n)) };
		}
		case 'audio-clip': {
			const [n, samples] = shape;
			return { [first.name]: float(shape, repeat(synthClip(samples), n)) };
		}
		case 'oww-mel-window':
			return { [first.name]: float(shape, seededGaussian(count(shape), MEL_FRAME_STATS)) };
		case 'oww-embeddings':
			return { [first.name]: float(shape, seededGaussian(count(shape), EMBEDDING_STATS)) };
		case 'vad-chunk':
			return vadChunk(entry, shapes);
		case 'face-image': {
			const [n, h, w] = shape;
			return { [first.name]: float(shape, repeat(faceImageNhwc(w, h), n)) };
		}
	}
}

/**
 * A page of `width`×`height` with OCR_LINES drawn as many as fit (whole words only), scale chosen so
 * a 640-pixel page gets 28-pixel-high text; returns the softened image and each line's box.
 */
export function ocrPage(width: number, height: number): { image: GreyImage; boxes: TextBox[] } {
	const scale = Math.max(1, Math.floor(Math.min(width, height) / 160));
	const margin = 10 * scale;
	const pitch = 2 * GLYPH_HEIGHT * scale + 4 * scale;
	const image = blankImage(width, height);
	const boxes: TextBox[] = [];
	OCR_LINES.forEach((line, i) => {
		const y = margin + i * pitch;
		const text = fitWords(line, width - 2 * margin, scale);
		if (text && y + GLYPH_HEIGHT * scale <= height - margin) boxes.push(drawText(image, text, margin + (i % 2) * 4 * scale, y, scale));
	});
	return { image: soften(image), boxes };
}

/**
 * One line of text for the recognizer/classifier: the words of OCR_LINES[0] that fit, text about
 * 60 % of the image height (PP-OCR resizes crops to height 48), left-aligned like a resized crop.
 */
export function ocrLine(width: number, height: number): { image: GreyImage; box: TextBox } {
	const scale = Math.max(1, Math.floor((height * 0.6) / GLYPH_HEIGHT));
	const image = blankImage(width, height);
	const margin = 2;
	const text = fitWords(OCR_LINES[0], width - 2 * margin, scale);
	const y = Math.floor((height - GLYPH_HEIGHT * scale) / 2);
	const box = drawText(image, text, margin, y, scale);
	return { image: soften(image), box };
}

/**
 * The longest run of leading words of `line` whose width at `scale` fits in `maxWidth` pixels; when
 * not even the first word fits, as many of its characters as do.
 */
function fitWords(line: string, maxWidth: number, scale: number): string {
	const fits = (text: string) => (text.length * (GLYPH_WIDTH + 1) - 1) * scale <= maxWidth;
	let text = '';
	for (const word of line.split(' ')) {
		const next = text ? `${text} ${word}` : word;
		if (!fits(next)) break;
		text = next;
	}
	if (text) return text;
	let chars = '';
	while (chars.length < line.length && fits(line.slice(0, chars.length + 1))) chars = line.slice(0, chars.length + 1);
	return chars;
}

function vadChunk(entry: ZooEntry, shapes: Record<string, number[]>): Feeds {
	const [input, state, sr] = entry.inputs;
	const [n, samples] = shapes[input.name];
	const chunk = synthClip(VAD_CHUNK_OFFSET + samples).subarray(VAD_CHUNK_OFFSET);
	return {
		[input.name]: float(shapes[input.name], repeat(chunk, n)),
		[state.name]: float(shapes[state.name], new Float32Array(count(shapes[state.name]))),
		[sr.name]: { dtype: 'int64', dims: shapes[sr.name], data: BigInt64Array.from([16_000n]) }
	};
}

function seededGaussian(length: number, stats: { mean: number; std: number; seed: number }): Float32Array {
	const next = gaussian(mulberry32(stats.seed));
	return Float32Array.from({ length }, () => stats.mean + stats.std * next());
}

function repeat(example: Float32Array, times: number): Float32Array {
	const out = new Float32Array(example.length * times);
	for (let i = 0; i < times; i++) out.set(example, i * example.length);
	return out;
}

function float(dims: number[], data: Float32Array): InputTensor {
	if (data.length !== count(dims)) throw new Error(`Input of ${data.length} values does not fill [${dims.join(', ')}]`);
	return { dtype: 'float32', dims, data };
}

const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
