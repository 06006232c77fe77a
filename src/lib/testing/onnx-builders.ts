/**
 * Builders for small ONNX files written straight as protobuf messages, for tests that need what
 * the IR does not express (Constant nodes, initializers repeated in graph.input, unset dims).
 * Attribute values are given as the protobufjs message fields (`{ name, type, f | i | ints … }`).
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../core/formats/onnx/proto';

/** ONNX element type codes used in test fixtures. */
export const ELEM = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, string: 8, bool: 9, float16: 10, double: 11 } as const;

/** A NodeProto. */
export function protoNode(
	opType: string, input: string[], output: string[], attribute: OnnxTypes.IAttributeProto[] = [], name = ''
): OnnxTypes.INodeProto {
	return { opType, input, output, attribute, name: name || `${opType}_${output[0]}` };
}

/** A tensor ValueInfoProto; a dim given as null is left unset (neither dim_value nor dim_param). */
export function protoValueInfo(name: string, elemType: number, dims: (number | string | null)[] | null): OnnxTypes.IValueInfoProto {
	const shape = dims && { dim: dims.map((d) => (d === null ? {} : typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
	return { name, type: { tensorType: { elemType, ...(shape ? { shape } : {}) } } };
}

/** A float32 TensorProto with raw_data. */
export function protoFloatTensor(name: string, dims: number[], values: number[]): OnnxTypes.ITensorProto {
	return { name, dataType: ELEM.float, dims, rawData: new Uint8Array(Float32Array.from(values).buffer) };
}

/** A GraphProto. */
export function protoGraph(parts: {
	name?: string; node: OnnxTypes.INodeProto[]; input?: OnnxTypes.IValueInfoProto[]; output: OnnxTypes.IValueInfoProto[];
	initializer?: OnnxTypes.ITensorProto[]; valueInfo?: OnnxTypes.IValueInfoProto[];
}): OnnxTypes.IGraphProto {
	return { name: parts.name ?? 'g', input: [], initializer: [], valueInfo: [], ...parts };
}

/** Encodes a ModelProto around a graph (default: IR 8, ai.onnx opset 17). */
export function protoModelBytes(graph: OnnxTypes.IGraphProto, options: { irVersion?: number; opset?: number } = {}): Uint8Array {
	return onnx.ModelProto.encode({
		irVersion: options.irVersion ?? 8,
		producerName: 'tightfit-tests',
		opsetImport: [{ domain: '', version: options.opset ?? 17 }],
		graph
	}).finish();
}
