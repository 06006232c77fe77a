/**
 * Mutators: each turns the bytes of a model file into a damaged or hostile copy, never modifying its
 * input. Byte-level ones work on any format; `protobuf-*` ones aim at ONNX structure, `flatbuffer-*`
 * at TFLite offsets, `json-*` at a TF.js model.json. Structural ONNX mutators are in onnx-mutators.ts.
 */
import { type WireField, replaceVarint, wireFields } from './protobuf-walk';
import type { Rng } from './random';

export type SeedKind = 'onnx' | 'tflite' | 'tfjs';

export interface Mutator {
	id: string;
	/** The seed kinds it applies to. */
	kinds: readonly SeedKind[];
	mutate(bytes: Uint8Array, rng: Rng): Uint8Array;
}

/** A position biased towards the start and end of the file, where the graph usually sits. */
function position(bytes: Uint8Array, rng: Rng): number {
	const n = bytes.length;
	if (n === 0) return 0;
	const r = rng.next();
	if (r < 0.4) return rng.int(Math.min(n, 65_536));
	if (r < 0.55) return Math.max(0, n - 1 - rng.int(Math.min(n, 4096)));
	return rng.int(n);
}

/** Values that break size arithmetic: zero, off by one, sign bits, 2^31, 2^32, 2^40, 2^63. */
const HOSTILE_INTS = [0n, 1n, -1n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 40n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 31n), -(2n ** 63n)];

function hostileInt(rng: Rng, around: number): bigint {
	const r = rng.next();
	if (r < 0.5) return rng.pick(HOSTILE_INTS);
	if (r < 0.8) return BigInt(Math.max(0, Math.round(around + (rng.int(17) - 8))));
	return BigInt(rng.int(2 ** 31));
}

const bitFlip: Mutator = {
	id: 'bit-flip',
	kinds: ['onnx', 'tflite', 'tfjs'],
	mutate(bytes, rng) {
		const out = bytes.slice();
		const flips = 1 + rng.int(8);
		for (let i = 0; i < flips && out.length; i++) out[position(out, rng)] ^= 1 << rng.int(8);
		return out;
	}
};

const truncate: Mutator = {
	id: 'truncate',
	kinds: ['onnx', 'tflite', 'tfjs'],
	mutate: (bytes, rng) => bytes.slice(0, rng.chance(0.3) ? rng.int(Math.min(bytes.length, 256) + 1) : rng.int(bytes.length + 1))
};

const spliceChunk: Mutator = {
	id: 'splice',
	kinds: ['onnx', 'tflite', 'tfjs'],
	mutate(bytes, rng) {
		const at = position(bytes, rng);
		const len = 1 + rng.int(64);
		const from = rng.int(Math.max(1, bytes.length - len));
		const chunk = rng.chance(0.5) ? bytes.slice(from, from + len) : Uint8Array.from({ length: len }, () => rng.int(256));
		const cut = rng.chance(0.5) ? 0 : Math.min(len, bytes.length - at);
		const out = new Uint8Array(bytes.length + chunk.length - cut);
		out.set(bytes.subarray(0, at));
		out.set(chunk, at);
		out.set(bytes.subarray(at + cut), at + chunk.length);
		return out;
	}
};

function pickField(bytes: Uint8Array, rng: Rng, wireType: 0 | 2): WireField | undefined {
	const fields = wireFields(bytes).filter((f) => f.wireType === wireType);
	// Outer fields (graph, nodes) come first; favour them so most cases damage structure, not weights.
	return fields.length ? fields[rng.chance(0.5) ? rng.int(Math.min(fields.length, 200)) : rng.int(fields.length)] : undefined;
}

const protobufLength: Mutator = {
	id: 'protobuf-length',
	kinds: ['onnx'],
	mutate(bytes, rng) {
		const field = pickField(bytes, rng, 2);
		return field ? replaceVarint(bytes, field, hostileInt(rng, field.value)) : bitFlip.mutate(bytes, rng);
	}
};

/** Varints hold dims, data types, element types, int attributes and opset versions. */
const protobufVarint: Mutator = {
	id: 'protobuf-varint',
	kinds: ['onnx'],
	mutate(bytes, rng) {
		const field = pickField(bytes, rng, 0);
		return field ? replaceVarint(bytes, field, hostileInt(rng, field.value)) : bitFlip.mutate(bytes, rng);
	}
};

/** A FlatBuffer is offsets all the way down: overwrite one aligned uint32 with a hostile value. */
const flatbufferOffset: Mutator = {
	id: 'flatbuffer-offset',
	kinds: ['tflite'],
	mutate(bytes, rng) {
		const out = bytes.slice();
		const at = position(out, rng) & ~3;
		if (at + 4 > out.length) return out;
		const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
		const current = view.getUint32(at, true);
		view.setUint32(at, Number(BigInt.asUintN(32, hostileInt(rng, current))), true);
		return out;
	}
};

/** A vtable entry is a uint16 field offset: zero it (field absent) or point it past the table. */
const flatbufferVtable: Mutator = {
	id: 'flatbuffer-vtable',
	kinds: ['tflite'],
	mutate(bytes, rng) {
		const out = bytes.slice();
		const at = position(out, rng) & ~1;
		if (at + 2 > out.length) return out;
		new DataView(out.buffer, out.byteOffset, out.byteLength).setUint16(at, rng.pick([0, 1, 4, 0x7fff, 0xffff, rng.int(0x10000)]), true);
		return out;
	}
};

export { jsonMutators } from './json-mutators';

/** The byte-level mutators, by the kinds they apply to. */
export const byteMutators: readonly Mutator[] = [bitFlip, truncate, spliceChunk, protobufLength, protobufVarint, flatbufferOffset, flatbufferVtable];
