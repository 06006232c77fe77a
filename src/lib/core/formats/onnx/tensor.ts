/**
 * TensorProto ↔ Initializer. Every storage field ONNX allows (raw_data, float_data, int32_data,
 * int64_data, double_data, uint64_data, string_data) becomes the IR's little-endian bytes; export
 * always writes raw_data (string tensors: string_data).
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { dtypeBits, tensorByteLength } from '../../ir/dtype';
import type { Initializer, WeightOrigin } from '../../ir/types';
import { ModelFormatError } from '../errors';
import { dtypeFromOnnx, dtypeToOnnx, onnxTypeName } from './dtype-codes';
import { type Int64, int64ToBigInt, int64ToNumber, numberToInt64 } from './proto';

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** Where a tensor sits, for error messages ("initializer 'w'", "attribute 'value' of node 'c1'"). */
export type TensorContext = string;

function fail(context: TensorContext, problem: string): never {
	throw new ModelFormatError('invalid', `The ONNX file's ${context} is malformed: ${problem}`);
}

/** Bytes of `count` int32_data entries, each holding one element (or one packed byte) of `bytesPer` bytes. */
function fromInt32Data(values: number[], bytesPer: number): Uint8Array {
	const out = new Uint8Array(values.length * bytesPer);
	const view = new DataView(out.buffer);
	values.forEach((v, i) => {
		if (bytesPer === 1) out[i] = v & 0xff;
		else if (bytesPer === 2) view.setUint16(i * 2, v & 0xffff, true);
		else view.setInt32(i * 4, v, true);
	});
	return out;
}

function fromFloats(values: number[], wide: boolean): Uint8Array {
	const out = new Uint8Array(values.length * (wide ? 8 : 4));
	const view = new DataView(out.buffer);
	values.forEach((v, i) => (wide ? view.setFloat64(i * 8, v, true) : view.setFloat32(i * 4, v, true)));
	return out;
}

function fromInt64s(values: Int64[], bytesPer: 4 | 8, unsigned: boolean): Uint8Array {
	const out = new Uint8Array(values.length * bytesPer);
	const view = new DataView(out.buffer);
	values.forEach((v, i) => {
		const big = int64ToBigInt(v);
		if (bytesPer === 4) view.setUint32(i * 4, Number(BigInt.asUintN(32, big)), true);
		else if (unsigned) view.setBigUint64(i * 8, BigInt.asUintN(64, big), true);
		else view.setBigInt64(i * 8, BigInt.asIntN(64, big), true);
	});
	return out;
}

/**
 * Converts a TensorProto to an initializer with raw little-endian bytes. `raw_data` bytes are
 * shared with the file buffer, not copied.
 * @throws ModelFormatError ('unsupported') for external data or an unknown data type, ('invalid')
 *   when the stored elements do not match the dims.
 */
export function tensorFromProto(proto: OnnxTypes.ITensorProto, origin: WeightOrigin, context: TensorContext): Initializer {
	const name = proto.name ?? '';
	const code = proto.dataType ?? 0;
	const dtype = dtypeFromOnnx(code);
	if (!dtype) {
		throw new ModelFormatError('unsupported', `The ${context} has data type ${code}, which this version of Tightfit does not know (it knows ONNX types 1 to 26).`);
	}
	if (proto.dataLocation === 1) {
		throw new ModelFormatError('unsupported', `The ${context} keeps its weights in an external data file, which a single .onnx upload cannot include. Re-save the model with all tensors inside the file (onnx.save_model(..., save_as_external_data=False)).`);
	}
	const dims = (proto.dims ?? []).map((d) => int64ToNumber(d as Int64));
	if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(context, `dims [${dims.join(',')}] are not sizes.`);
	if (dtype === 'string') {
		const strings = (proto.stringData ?? []).map((b) => utf8Decoder.decode(b));
		return { name, dtype, dims, data: new Uint8Array(0), strings, origin };
	}
	const data = tensorBytes(proto, code, context);
	const expected = tensorByteLength(dtype, dims);
	if (data.byteLength !== expected) {
		fail(context, `${onnxTypeName(code)}[${dims.join(',')}] needs ${expected} bytes of data but has ${data.byteLength}.`);
	}
	return { name, dtype, dims, data, origin };
}

function tensorBytes(proto: OnnxTypes.ITensorProto, code: number, context: TensorContext): Uint8Array {
	const dtype = dtypeFromOnnx(code)!;
	if (proto.rawData && proto.rawData.length) return proto.rawData;
	if (proto.floatData?.length) return fromFloats(proto.floatData, false);
	if (proto.doubleData?.length) return fromFloats(proto.doubleData, true);
	if (proto.int64Data?.length) return fromInt64s(proto.int64Data as Int64[], 8, false);
	if (proto.uint64Data?.length) {
		return fromInt64s(proto.uint64Data as Int64[], dtype === 'uint32' ? 4 : 8, true);
	}
	if (proto.int32Data?.length) {
		const bits = dtypeBits(dtype);
		if (bits > 32) fail(context, `${onnxTypeName(code)} data stored in int32_data.`);
		return fromInt32Data(proto.int32Data, bits <= 8 ? 1 : bits / 8);
	}
	return new Uint8Array(0);
}

/** Converts an initializer back to a TensorProto, its bytes in raw_data (strings in string_data). */
export function tensorToProto(init: Initializer): OnnxTypes.ITensorProto {
	const proto: OnnxTypes.ITensorProto = {
		name: init.name,
		dataType: dtypeToOnnx(init.dtype),
		dims: init.dims.map(numberToInt64) as number[]
	};
	if (init.dtype === 'string') proto.stringData = (init.strings ?? []).map((s) => utf8Encoder.encode(s));
	else proto.rawData = init.data;
	return proto;
}

