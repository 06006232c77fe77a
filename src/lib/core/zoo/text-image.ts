/**
 * Text images for the OCR models, drawn with the built-in bitmap font on a grey-scale raster, then
 * normalised into the NCHW float32 tensors PP-OCR expects. No canvas: identical bytes everywhere.
 */
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphInk, textWidth } from './bitmap-font.ts';

/** A grey-scale image, row-major, 0 = black, 255 = white. */
export interface GreyImage {
	width: number;
	height: number;
	pixels: Uint8ClampedArray;
}

/** Where a line of text was drawn, in image pixels (x0/y0 inclusive, x1/y1 exclusive). */
export interface TextBox {
	text: string;
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

/** Paper and ink levels: dark text on light paper, not pure black and white, like a scan. */
export const PAPER = 236;
export const INK = 28;

export function blankImage(width: number, height: number, level = PAPER): GreyImage {
	return { width, height, pixels: new Uint8ClampedArray(width * height).fill(level) };
}

/**
 * Draws `text` with its top-left corner at (x, y), each font pixel a `scale`×`scale` block; ink
 * outside the image is clipped. Mutates `image` (it is the caller's scratch raster) and returns the box.
 */
export function drawText(image: GreyImage, text: string, x: number, y: number, scale: number): TextBox {
	for (let c = 0; c < text.length; c++) {
		const left = x + c * (GLYPH_WIDTH + 1) * scale;
		for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
			for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
				if (!glyphInk(text[c], gx, gy)) continue;
				for (let py = y + gy * scale; py < y + (gy + 1) * scale; py++) {
					if (py < 0 || py >= image.height) continue;
					for (let px = left + gx * scale; px < left + (gx + 1) * scale; px++) {
						if (px >= 0 && px < image.width) image.pixels[py * image.width + px] = INK;
					}
				}
			}
		}
	}
	return { text, x0: x, y0: y, x1: x + textWidth(text) * scale, y1: y + GLYPH_HEIGHT * scale };
}

/**
 * A 3×3 box blur (edges clamped), so glyph edges are soft like printed or photographed text rather
 * than hard-edged blocks; integer arithmetic keeps the result exact on every platform.
 */
export function soften(image: GreyImage): GreyImage {
	const { width, height, pixels } = image;
	const out = new Uint8ClampedArray(pixels.length);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			let sum = 0;
			for (let dy = -1; dy <= 1; dy++) {
				const yy = Math.min(height - 1, Math.max(0, y + dy));
				for (let dx = -1; dx <= 1; dx++) {
					const xx = Math.min(width - 1, Math.max(0, x + dx));
					sum += pixels[yy * width + xx];
				}
			}
			out[y * width + x] = Math.round(sum / 9);
		}
	}
	return { width, height, pixels: out };
}

/** Per-channel normalisation: value = (pixel / 255 − mean[c]) / std[c]. */
export interface Normalisation {
	mean: readonly [number, number, number];
	std: readonly [number, number, number];
}

/** PP-OCR's detector (DBNet) preprocessing: ImageNet mean and std (PaddleOCR det configs, NormalizeImage). */
export const detNormalisation: Normalisation = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** PP-OCR's recognizer and orientation classifier: (x / 255 − 0.5) / 0.5, i.e. [−1, 1]. */
export const lineNormalisation: Normalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** The grey image as a [1, 3, H, W] float32 tensor's data, the grey level repeated in all three channels. */
export function toNchw(image: GreyImage, norm: Normalisation): Float32Array {
	const plane = image.width * image.height;
	const data = new Float32Array(3 * plane);
	for (let c = 0; c < 3; c++) {
		const mean = norm.mean[c];
		const std = norm.std[c];
		for (let i = 0; i < plane; i++) data[c * plane + i] = (image.pixels[i] / 255 - mean) / std;
	}
	return data;
}
