/**
 * The ONNX protobuf schema (npm `onnx-proto`, protobufjs static code for ONNX 1.10) and helpers
 * for its int64 fields. The package is CommonJS: Node's ESM loader exposes it only as `default`,
 * while bundlers may also expose `onnx` directly, so both shapes are accepted.
 */
import * as onnxModule from 'onnx-proto';

type OnnxNamespace = typeof onnxModule.onnx;
const loaded = onnxModule as unknown as { onnx?: OnnxNamespace; default?: { onnx?: OnnxNamespace } };

/** The protobufjs message classes (`onnx.ModelProto.decode`, `.encode`, …). */
export const onnx: OnnxNamespace = (loaded.onnx ?? loaded.default?.onnx) as OnnxNamespace;

/** An int64 as protobufjs hands it over: a `Long` where the `long` package loads, a number elsewhere. */
export type Int64 = number | { low: number; high: number; unsigned?: boolean; toNumber?: () => number };

const TWO_32 = 4294967296;
const TWO_63 = 2 ** 63;

/** An int64 field as a JavaScript number (exact up to 2^53; INT64_MAX becomes 2^63). */
export function int64ToNumber(value: Int64 | null | undefined): number {
	if (value === null || value === undefined) return 0;
	if (typeof value === 'number') return value;
	if (value.unsigned) return (value.high >>> 0) * TWO_32 + (value.low >>> 0);
	return value.high * TWO_32 + (value.low >>> 0);
}

/** An int64 field as a BigInt, exact for every value. */
export function int64ToBigInt(value: Int64): bigint {
	if (typeof value === 'number') return BigInt(Math.trunc(value));
	const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
	return value.unsigned ? bits : BigInt.asIntN(64, bits);
}

/**
 * A number ready for protobufjs's int64 writer. Values at or beyond ±2^63 (INT64_MAX read back as
 * a double) are saturated, because the writer would otherwise wrap them to the opposite sign.
 */
export function numberToInt64(value: number): number | { low: number; high: number } {
	if (value >= TWO_63) return { low: 0xffffffff, high: 0x7fffffff };
	if (value <= -TWO_63) return { low: 0, high: 0x80000000 | 0 };
	return value;
}
