/**
 * The face detector's representative input: a drawn face on a plain background, RGB pixels 0–255 in
 * NHWC order as face-api feeds its tiny face detector. A drawing, not a photo, so no licence and the
 * same bytes everywhere: a skin-toned head (filled ellipse, shaded towards its edge), darker hair on
 * top, two eyes with whites and pupils, eyebrows, a nose shadow and a mouth, on a vertical grey
 * gradient. What the detector makes of it is measured in face-image.test.ts, not assumed.
 */

/** Where the face was drawn, in pixels of the image (centre and half-axes of the head ellipse). */
export interface FaceBox {
	cx: number;
	cy: number;
	rx: number;
	ry: number;
}

type Rgb = readonly [number, number, number];

const SKIN: Rgb = [224, 172, 138];
const HAIR: Rgb = [62, 40, 28];
const EYE_WHITE: Rgb = [240, 240, 236];
const PUPIL: Rgb = [30, 24, 22];
const LIP: Rgb = [170, 70, 72];

/**
 * A `width`×`height` RGB image (row-major, 3 bytes a pixel) with one face whose head is `faceScale`
 * of the shorter side high, centred at (`centre[0]`, `centre[1]`) as fractions of the image.
 */
export function faceImage(
	width: number,
	height: number,
	{ faceScale = 0.5, centre = [0.5, 0.5] as readonly [number, number] } = {}
): { rgb: Uint8ClampedArray; face: FaceBox } {
	const rgb = new Uint8ClampedArray(width * height * 3);
	for (let y = 0; y < height; y++) {
		const level = 190 - Math.round((60 * y) / Math.max(1, height - 1));
		for (let x = 0; x < width; x++) rgb.set([level, level + 4, level + 10], (y * width + x) * 3);
	}
	const ry = (faceScale * Math.min(width, height)) / 2;
	const face: FaceBox = { cx: centre[0] * width, cy: centre[1] * height, rx: ry * 0.78, ry };
	const { cx, cy, rx } = face;
	const ellipse = (ex: number, ey: number, ax: number, ay: number, paint: (d: number) => Rgb | null) => {
		for (let y = Math.max(0, Math.floor(ey - ay)); y <= Math.min(height - 1, Math.ceil(ey + ay)); y++) {
			for (let x = Math.max(0, Math.floor(ex - ax)); x <= Math.min(width - 1, Math.ceil(ex + ax)); x++) {
				const d = ((x - ex) / ax) ** 2 + ((y - ey) / ay) ** 2;
				const colour = d <= 1 ? paint(d) : null;
				if (colour) rgb.set(colour, (y * width + x) * 3);
			}
		}
	};
	const shade = (c: Rgb, f: number): Rgb => [c[0] * f, c[1] * f, c[2] * f];
	// Hair: a slightly larger ellipse behind the top of the head.
	ellipse(cx, cy - ry * 0.12, rx * 1.08, ry * 1.0, () => HAIR);
	// Head, darker towards its edge; the hair keeps the top band.
	ellipse(cx, cy + ry * 0.05, rx, ry * 0.95, (d) => (d < 1 ? shade(SKIN, 1 - 0.25 * d * d) : null));
	ellipse(cx, cy - ry * 0.78, rx * 0.9, ry * 0.3, () => HAIR);
	for (const side of [-1, 1]) {
		const ex = cx + side * rx * 0.38;
		const ey = cy - ry * 0.12;
		ellipse(ex, ey - ry * 0.17, rx * 0.24, ry * 0.045, () => HAIR);
		ellipse(ex, ey, rx * 0.2, ry * 0.09, () => EYE_WHITE);
		ellipse(ex, ey, rx * 0.09, ry * 0.085, () => PUPIL);
	}
	ellipse(cx, cy + ry * 0.18, rx * 0.1, ry * 0.16, () => shade(SKIN, 0.78));
	ellipse(cx, cy + ry * 0.5, rx * 0.34, ry * 0.09, () => LIP);
	return { rgb, face };
}

/** The image as float32 NHWC pixels 0–255 (the detector subtracts its mean and divides by 255 itself). */
export function faceImageNhwc(width: number, height: number): Float32Array {
	return Float32Array.from(faceImage(width, height).rgb);
}
