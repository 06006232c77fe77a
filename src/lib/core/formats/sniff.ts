/**
 * Recognises common non-model files by their first bytes, so an error can say "this is a PNG
 * image" instead of a protobuf decoder's complaint.
 */

const startsWith = (bytes: Uint8Array, magic: number[], offset = 0) =>
	bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** Signatures, checked in order; the first match names the file. */
const SIGNATURES: { what: string; test: (bytes: Uint8Array) => boolean }[] = [
	{ what: 'a PNG image', test: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
	{ what: 'a JPEG image', test: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
	{ what: 'a GIF image', test: (b) => startsWith(b, ascii('GIF8')) },
	{ what: 'a ZIP archive (a PyTorch .pt/.pth checkpoint or a Keras file is a ZIP too)', test: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) },
	{ what: 'a gzip-compressed file (decompress it first)', test: (b) => startsWith(b, [0x1f, 0x8b]) },
	{ what: 'a PDF document', test: (b) => startsWith(b, ascii('%PDF')) },
	{ what: 'an HDF5 file (a Keras .h5 model?)', test: (b) => startsWith(b, [0x89, 0x48, 0x44, 0x46]) },
	{ what: 'a TensorFlow Lite model (.tflite)', test: (b) => startsWith(b, ascii('TFL3'), 4) },
	{ what: 'a Python pickle (a PyTorch checkpoint?)', test: (b) => startsWith(b, [0x80]) && b.length > 1 && b[1] >= 2 && b[1] <= 5 },
	{ what: 'an HTML page (a download that returned an error page?)', test: (b) => /^\s*<(!doctype html|html)/i.test(textStart(b)) },
	{ what: 'a JSON text file (a TensorFlow.js model.json?)', test: (b) => /^\s*[[{]/.test(textStart(b)) },
	{ what: 'a text file', test: (b) => isPrintable(b.subarray(0, 64)) }
];

function textStart(bytes: Uint8Array): string {
	return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64)).replace(/^\uFEFF/, '');
}

function isPrintable(bytes: Uint8Array): boolean {
	return bytes.length >= 8 && bytes.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
}

/** What a file looks like from its first bytes ("a PNG image"), or null when it is none of the known kinds. */
export function describeFileKind(bytes: Uint8Array): string | null {
	return SIGNATURES.find((s) => s.test(bytes))?.what ?? null;
}
