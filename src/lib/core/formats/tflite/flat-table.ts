/**
 * A bounds-checked view of one flatbuffer table, on top of the `flatbuffers` library's ByteBuffer.
 * The library itself does not check offsets (a truncated file reads as zeros), so every offset is
 * checked here and a read past the end throws `FlatBufferRangeError`, which the importer reports as
 * a truncated file.
 */
import { ByteBuffer } from 'flatbuffers';

/** Thrown when an offset points outside the buffer: the file is truncated or not a flatbuffer. */
export class FlatBufferRangeError extends Error {
	constructor(what: string) {
		super(`${what} lies outside the file`);
		this.name = 'FlatBufferRangeError';
	}
}

/** Vtable slot offset of the `index`-th field in schema order (fields are numbered from 0). */
const slot = (index: number) => 4 + 2 * index;

export class FlatTable {
	constructor(readonly bb: ByteBuffer, readonly pos: number) {
		FlatTable.check(bb, pos, 4, 'A table');
		const vtable = pos - bb.readInt32(pos);
		FlatTable.check(bb, vtable, 4, 'A vtable');
		FlatTable.check(bb, vtable, bb.readUint16(vtable), 'A vtable');
	}

	/** The root table of a buffer (its first 4 bytes are the root's offset). */
	static root(bytes: Uint8Array): FlatTable {
		const bb = new ByteBuffer(bytes);
		FlatTable.check(bb, 0, 8, 'The root offset');
		return new FlatTable(bb, bb.readUint32(0));
	}

	static check(bb: ByteBuffer, at: number, length: number, what: string): void {
		if (!(at >= 0 && length >= 0 && at + length <= bb.capacity())) throw new FlatBufferRangeError(what);
	}

	/** Offset of field `index` relative to the table, or 0 when the field is absent. */
	private field(index: number): number {
		return this.bb.__offset(this.pos, slot(index));
	}

	has(index: number): boolean {
		return this.field(index) !== 0;
	}

	private scalar(index: number, size: number, read: (at: number) => number, fallback: number): number {
		const o = this.field(index);
		if (!o) return fallback;
		FlatTable.check(this.bb, this.pos + o, size, `Field ${index}`);
		return read(this.pos + o);
	}

	int8(index: number, fallback = 0): number {
		return this.scalar(index, 1, (at) => this.bb.readInt8(at), fallback);
	}
	uint8(index: number, fallback = 0): number {
		return this.scalar(index, 1, (at) => this.bb.readUint8(at), fallback);
	}
	bool(index: number, fallback = false): boolean {
		return this.uint8(index, fallback ? 1 : 0) !== 0;
	}
	int32(index: number, fallback = 0): number {
		return this.scalar(index, 4, (at) => this.bb.readInt32(at), fallback);
	}
	uint32(index: number, fallback = 0): number {
		return this.scalar(index, 4, (at) => this.bb.readUint32(at), fallback);
	}
	float32(index: number, fallback = 0): number {
		return this.scalar(index, 4, (at) => this.bb.readFloat32(at), fallback);
	}
	/** A uint64 field as a number (exact below 2^53, which every file offset is). */
	uint64(index: number, fallback = 0): number {
		const o = this.field(index);
		if (!o) return fallback;
		FlatTable.check(this.bb, this.pos + o, 8, `Field ${index}`);
		return Number(this.bb.readUint64(this.pos + o));
	}

	/** A sub-table, or null when absent. */
	table(index: number): FlatTable | null {
		const o = this.field(index);
		if (!o) return null;
		FlatTable.check(this.bb, this.pos + o, 4, `Field ${index}`);
		return new FlatTable(this.bb, this.bb.__indirect(this.pos + o));
	}

	string(index: number): string {
		const o = this.field(index);
		if (!o) return '';
		const bytes = this.vectorBytes(index, 1);
		return bytes ? new TextDecoder().decode(bytes) : '';
	}

	/** Start and length of vector field `index`, checked against the buffer; null when absent. */
	private vector(index: number, elementSize: number): { start: number; length: number } | null {
		const o = this.field(index);
		if (!o) return null;
		FlatTable.check(this.bb, this.pos + o, 4, `Field ${index}`);
		const header = this.pos + o + this.bb.readUint32(this.pos + o);
		FlatTable.check(this.bb, header, 4, `Vector ${index}`);
		const length = this.bb.readUint32(header);
		FlatTable.check(this.bb, header + 4, length * elementSize, `Vector ${index} (${length} elements)`);
		return { start: header + 4, length };
	}

	/** The raw bytes of a vector of `elementSize`-byte scalars (a view into the file). */
	vectorBytes(index: number, elementSize = 1): Uint8Array | null {
		const v = this.vector(index, elementSize);
		return v ? this.bb.bytes().subarray(v.start, v.start + v.length * elementSize) : null;
	}

	vectorLength(index: number): number {
		return this.vector(index, 0)?.length ?? 0;
	}

	int32s(index: number): number[] {
		const v = this.vector(index, 4);
		return v ? Array.from({ length: v.length }, (_, i) => this.bb.readInt32(v.start + 4 * i)) : [];
	}
	float32s(index: number): number[] {
		const v = this.vector(index, 4);
		return v ? Array.from({ length: v.length }, (_, i) => this.bb.readFloat32(v.start + 4 * i)) : [];
	}
	/** A vector of int64 as numbers (zero points and the like are small). */
	int64s(index: number): number[] {
		const v = this.vector(index, 8);
		return v ? Array.from({ length: v.length }, (_, i) => Number(this.bb.readInt64(v.start + 8 * i))) : [];
	}
	tables(index: number): FlatTable[] {
		const v = this.vector(index, 4);
		return v ? Array.from({ length: v.length }, (_, i) => new FlatTable(this.bb, this.bb.__indirect(v.start + 4 * i))) : [];
	}
}
