/**
 * A schema-free walk over protobuf wire format, for mutations that hit structure rather than weight
 * bytes: the positions of every length prefix and varint in messages nested up to a depth.
 */

/** A field found in the bytes: where its value (varint) or its length prefix (wire type 2) sits. */
export interface WireField {
	wireType: 0 | 2;
	/** Offset and byte count of the varint (the value for type 0, the length for type 2). */
	varintPos: number;
	varintSize: number;
	/** The decoded varint, exact up to 2^53. */
	value: number;
}

function readVarint(bytes: Uint8Array, pos: number, end: number): { value: number; size: number } | null {
	let value = 0;
	for (let i = 0; i < 10 && pos + i < end; i++) {
		value += (bytes[pos + i] & 0x7f) * 2 ** (7 * i);
		if (!(bytes[pos + i] & 0x80)) return { value, size: i + 1 };
	}
	return null;
}

/**
 * Fields of the message in bytes[start, end) and of payloads that parse as messages themselves, to
 * `maxDepth` levels. A payload that does not parse (weights, strings) contributes nothing inside.
 * @returns null when bytes[start, end) is not a well-formed message.
 */
function walk(bytes: Uint8Array, start: number, end: number, depth: number, maxDepth: number, out: WireField[], limit: number): boolean {
	const mark = out.length;
	let pos = start;
	while (pos < end) {
		const tag = readVarint(bytes, pos, end);
		if (!tag || tag.value < 8) return (out.length = mark), false;
		pos += tag.size;
		const wireType = tag.value % 8;
		if (wireType === 0) {
			const v = readVarint(bytes, pos, end);
			if (!v) return (out.length = mark), false;
			if (out.length < limit) out.push({ wireType: 0, varintPos: pos, varintSize: v.size, value: v.value });
			pos += v.size;
		} else if (wireType === 1 || wireType === 5) {
			pos += wireType === 1 ? 8 : 4;
		} else if (wireType === 2) {
			const len = readVarint(bytes, pos, end);
			if (!len || pos + len.size + len.value > end) return (out.length = mark), false;
			if (out.length < limit) out.push({ wireType: 2, varintPos: pos, varintSize: len.size, value: len.value });
			pos += len.size;
			if (depth < maxDepth && len.value > 1) walk(bytes, pos, pos + len.value, depth + 1, maxDepth, out, limit);
			pos += len.value;
		} else return (out.length = mark), false;
	}
	return pos === end;
}

/** Every length prefix and varint of a protobuf message, outermost first (at most `limit`). */
export function wireFields(bytes: Uint8Array, maxDepth = 8, limit = 50_000): WireField[] {
	const out: WireField[] = [];
	walk(bytes, 0, bytes.length, 0, maxDepth, out, limit);
	return out;
}

/** A varint of `value` (a non-negative integer up to 2^64 − 1, or a negative int64 as ten bytes). */
export function encodeVarint(value: bigint): Uint8Array {
	let v = value < 0n ? value + (1n << 64n) : value;
	const out: number[] = [];
	do {
		const byte = Number(v & 0x7fn);
		v >>= 7n;
		out.push(v ? byte | 0x80 : byte);
	} while (v);
	return Uint8Array.from(out);
}

/** bytes with the varint at `field` replaced by `value` (the file grows or shrinks as needed). */
export function replaceVarint(bytes: Uint8Array, field: WireField, value: bigint): Uint8Array {
	const varint = encodeVarint(value);
	const out = new Uint8Array(bytes.length - field.varintSize + varint.length);
	out.set(bytes.subarray(0, field.varintPos));
	out.set(varint, field.varintPos);
	out.set(bytes.subarray(field.varintPos + field.varintSize), field.varintPos + varint.length);
	return out;
}
