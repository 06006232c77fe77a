/**
 * Storage of a model's weights three ways: dense (as the file holds them), sparse (per tensor the
 * smaller of a bitmask — one bit per element plus the non-zero values — and CSR — non-zero values,
 * a ⌈log2(columns)⌉-bit column index each and a row pointer per row, index bits counted), and
 * compressed (raw DEFLATE of the weight bytes, the way a .zip or gzip'd download stores them).
 *
 * Compression uses the Web `CompressionStream('deflate-raw')`, present in every current browser
 * and in Node ≥ 18 as a global, so the same code runs in the page, workers and the CLI; the price is
 * that `compressedBytes` is async. RAM is a separate figure: a runtime holds weights densely.
 */
import { dtypeBits, elementCount, readFloat32 } from '../ir/graph';
import type { Initializer, Model } from '../ir/types';
import { FLOAT_TYPES } from './util';

export interface TensorStorage {
	name: string;
	elements: number;
	nonZero: number;
	denseBytes: number;
	bitmaskBytes: number;
	csrBytes: number;
	/** min(dense, bitmask, CSR). */
	sparseBytes: number;
}

export interface StorageFigures {
	denseBytes: number;
	sparseBytes: number;
	/** Raw DEFLATE of all initializer bytes, concatenated in graph order. */
	compressedBytes: number;
	tensors: TensorStorage[];
}

const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));

/** Dense, bitmask and CSR sizes of one initializer (non-float tensors count as dense). */
export function tensorStorage(init: Initializer): TensorStorage {
	const elements = elementCount(init.dims);
	const denseBytes = init.data.byteLength;
	if (!FLOAT_TYPES.has(init.dtype) && !['int8', 'uint8', 'int16', 'int32'].includes(init.dtype) || elements === 0) {
		return { name: init.name, elements, nonZero: elements, denseBytes, bitmaskBytes: denseBytes, csrBytes: denseBytes, sparseBytes: denseBytes };
	}
	const values = readFloat32(init);
	let nonZero = 0;
	for (const v of values) if (v !== 0) nonZero++;
	const valueBits = dtypeBits(init.dtype);
	const bitmaskBytes = Math.ceil(elements / 8) + Math.ceil((nonZero * valueBits) / 8);
	const rows = init.dims.length > 1 ? init.dims[0] : 1;
	const cols = elements / rows;
	const csrBits = nonZero * (valueBits + bitsFor(cols)) + (rows + 1) * bitsFor(nonZero + 1);
	const csrBytes = Math.ceil(csrBits / 8);
	return { name: init.name, elements, nonZero, denseBytes, bitmaskBytes, csrBytes, sparseBytes: Math.min(denseBytes, bitmaskBytes, csrBytes) };
}

/** Bytes of `data` after raw DEFLATE (CompressionStream 'deflate-raw'). */
export async function deflatedSize(data: Uint8Array): Promise<number> {
	const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
	const reader = stream.getReader();
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return total;
		total += value.byteLength;
	}
}

/** The synchronous part: dense and sparse sizes per initializer and in total. */
export function sparseStorage(model: Model): Omit<StorageFigures, 'compressedBytes'> {
	const tensors = Object.values(model.graph.initializers).map(tensorStorage);
	return {
		denseBytes: tensors.reduce((s, t) => s + t.denseBytes, 0),
		sparseBytes: tensors.reduce((s, t) => s + t.sparseBytes, 0),
		tensors
	};
}

/** All three storage figures of a model's weights. */
export async function storageFigures(model: Model): Promise<StorageFigures> {
	const sync = sparseStorage(model);
	const all = new Uint8Array(sync.denseBytes);
	let at = 0;
	for (const init of Object.values(model.graph.initializers)) { all.set(init.data, at); at += init.data.byteLength; }
	return { ...sync, compressedBytes: await deflatedSize(all) };
}
