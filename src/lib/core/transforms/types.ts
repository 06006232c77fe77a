/**
 * Shared shapes of every transform's result. A transform is a pure function `(model, options) →
 * { model, report }`: it never mutates its input, and the output shares untouched tensors with it.
 */
import type { Model } from '../ir/types';

/** One rewritten tensor or layer, in the order the graph holds them. */
export interface LayerRow {
	/** The node whose weight or output this row is about ('' for a tensor not tied to one node). */
	node: string;
	opType: string;
	/** The tensor concerned (a weight initializer, or a layer's output for activation rows). */
	tensor: string;
	/** Elements of the tensor after the transform. */
	elements: number;
	/** Bytes the tensor occupied in the input model. */
	bytesBefore: number;
	/** Bytes the tensor occupies in the output model (what a runtime loads). */
	bytesAfter: number;
	/** Bytes of the compact stored form a transform claims (codebook + packed indices, …), when it differs. */
	packedBytes?: number;
	/** Signal-to-quantization-noise ratio of the rewritten weights against the originals, in dB. */
	sqnrDb?: number;
	/** Fraction of zero elements after the transform, 0..1. */
	sparsity?: number;
	note?: string;
}

/** A node or tensor a transform left alone, and why. */
export interface Skipped {
	node: string;
	reason: string;
}

/** What every transform reports. */
export interface TransformReport {
	transform: string;
	rows: LayerRow[];
	skipped: Skipped[];
	/** Bytes of all initializers before and after (dense, as a runtime loads them). */
	weightBytesBefore: number;
	weightBytesAfter: number;
	/** Parameters (initializer elements of float weights) before and after. */
	paramsBefore: number;
	paramsAfter: number;
	notes: string[];
}

export interface TransformResult<R extends TransformReport = TransformReport> {
	model: Model;
	report: R;
}
