import type { AttrValue, Dim, DType, Initializer, Node } from '../ir/types';
import { ShapeError, type KnownValue, type OpContext } from './types';

export function attrInt(node: Node, name: string, fallback: number): number;
export function attrInt(node: Node, name: string): number | undefined;
export function attrInt(node: Node, name: string, fallback?: number): number | undefined {
	const a = node.attrs[name];
	return a?.type === 'int' ? a.value : fallback;
}

export function attrFloat(node: Node, name: string, fallback: number): number {
	const a = node.attrs[name];
	return a?.type === 'float' ? a.value : a?.type === 'int' ? a.value : fallback;
}

export function attrInts(node: Node, name: string): number[] | undefined {
	const a: AttrValue | undefined = node.attrs[name];
	if (a?.type === 'ints') return a.value;
	if (a?.type === 'int') return [a.value];
	return undefined;
}

export function attrString(node: Node, name: string, fallback: string): string {
	const a = node.attrs[name];
	return a?.type === 'string' ? a.value : fallback;
}

/** Normalizes a possibly negative axis against `rank`; throws naming the node when out of range. */
export function normAxis(axis: number, rank: number, node: Node): number {
	const a = axis < 0 ? axis + rank : axis;
	if (a < 0 || a >= rank) throw new ShapeError(`axis ${axis} out of range for rank ${rank} in ${node.name || node.opType}`);
	return a;
}

/** The shape of input `i`, required to be known. */
export function need(ctx: OpContext, i: number): Dim[] {
	const s = ctx.shape(i);
	if (s === null) throw new ShapeError(`shape of input ${i} (${ctx.node.inputs[i]}) is unknown`);
	return s;
}

/** The folded value of input `i` as plain numbers, required to be known and numeric. */
export function needNumbers(ctx: OpContext, i: number, what: string): number[] {
	const k = ctx.known(i);
	if (!k) throw new ShapeError(`${what} (${ctx.node.inputs[i]}) is not a constant`);
	const out = numbersOf(k);
	if (!out) throw new ShapeError(`${what} (${ctx.node.inputs[i]}) depends on a symbolic dim`);
	return out;
}

export function numbersOf(k: KnownValue): number[] | undefined {
	return k.values.every((v) => typeof v === 'number') ? (k.values as number[]) : undefined;
}

/** Product of dims, or undefined when any is symbolic. */
export function product(dims: Dim[]): number | undefined {
	let p = 1;
	for (const d of dims) {
		if (typeof d !== 'number') return undefined;
		p *= d;
	}
	return p;
}

/** Multiplies two dims; a symbolic operand gives a symbolic product unless the other is 1. */
export function mulDim(a: Dim, b: Dim): Dim {
	if (typeof a === 'number' && typeof b === 'number') return a * b;
	if (a === 1) return b;
	if (b === 1) return a;
	return `${a}*${b}`;
}

export function sameShape(ctx: OpContext, i = 0): { dtype: DType; shape: Dim[] | null } {
	return { dtype: ctx.dtype(i), shape: ctx.shape(i) };
}

/** ONNX TensorProto.DataType enum → our dtype names (Cast's `to`, ConstantOfShape, etc.). */
const DTYPE_BY_ENUM: Record<number, DType> = {
	0: 'undefined', 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64',
	8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64',
	15: 'complex128', 16: 'bfloat16', 17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2',
	20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4', 23: 'float4e2m1', 24: 'float8e8m0', 25: 'uint2', 26: 'int2'
};

export function dtypeFromEnum(code: number, node: Node): DType {
	const d = DTYPE_BY_ENUM[code];
	if (!d) throw new ShapeError(`unknown data type ${code} in ${node.name || node.opType}`);
	return d;
}

export const INTEGER_DTYPES: ReadonlySet<DType> = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool']);

/** Largest tensor, in elements, whose values we fold. Keeps constant propagation cheap. */
export const FOLD_LIMIT = 4096;

/**
 * Decodes an initializer's elements as numbers (int64 via BigInt, then Number: shape values fit).
 * Only the plain numeric types; returns undefined for others or when over FOLD_LIMIT elements.
 */
export function initializerValues(init: Initializer): KnownValue | undefined {
	const n = init.dims.reduce((a, b) => a * b, 1);
	if (n > FOLD_LIMIT) return undefined;
	const dv = new DataView(init.data.buffer, init.data.byteOffset, init.data.byteLength);
	const read: Partial<Record<DType, [number, (o: number) => number]>> = {
		int64: [8, (o) => Number(dv.getBigInt64(o, true))],
		uint64: [8, (o) => Number(dv.getBigUint64(o, true))],
		int32: [4, (o) => dv.getInt32(o, true)],
		uint32: [4, (o) => dv.getUint32(o, true)],
		int16: [2, (o) => dv.getInt16(o, true)],
		uint16: [2, (o) => dv.getUint16(o, true)],
		int8: [1, (o) => dv.getInt8(o)],
		uint8: [1, (o) => dv.getUint8(o)],
		bool: [1, (o) => dv.getUint8(o)],
		float32: [4, (o) => dv.getFloat32(o, true)],
		float64: [8, (o) => dv.getFloat64(o, true)]
	};
	const r = read[init.dtype];
	if (!r || init.data.byteLength < n * r[0]) return undefined;
	const values: number[] = [];
	for (let i = 0; i < n; i++) values.push(r[1](i * r[0]));
	return { dtype: init.dtype, dims: [...init.dims], values };
}
