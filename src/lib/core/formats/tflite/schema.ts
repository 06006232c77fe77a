/**
 * Readers for the TFLite flatbuffer tables Tightfit needs, following TensorFlow's
 * `tensorflow/compiler/mlir/lite/schema/schema.fbs`: each table's fields are read by their index in
 * that schema (vtable slot = 4 + 2·index). Only the tables and fields the importer uses are read;
 * the result is plain data with weight buffers as views into the file.
 */
import { FlatTable } from './flat-table';

/** schema.fbs `TensorType`, by value. */
export const TENSOR_TYPES = [
	'float32', 'float16', 'int32', 'uint8', 'int64', 'string', 'bool', 'int16', 'complex64', 'int8',
	'float64', 'complex128', 'uint64', 'resource', 'variant', 'uint32', 'uint16', 'int4', 'bfloat16'
] as const;
export type TfliteTensorType = (typeof TENSOR_TYPES)[number] | 'unknown';

/** schema.fbs `ActivationFunctionType`. */
export type FusedActivation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';
const ACTIVATIONS: FusedActivation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

export interface TfliteQuantization {
	min: number[];
	max: number[];
	scale: number[];
	zeroPoint: number[];
	/** The axis that per-channel scales run along (0 when per-tensor). */
	quantizedDimension: number;
}

export interface TfliteTensor {
	name: string;
	shape: number[];
	/** `shape_signature`, where -1 marks a dynamic dimension; empty when the file has none. */
	shapeSignature: number[];
	type: TfliteTensorType;
	buffer: number;
	quantization: TfliteQuantization | null;
	isVariable: boolean;
	/** Whether the tensor is stored sparse (`sparsity` present), which the importer refuses. */
	sparse: boolean;
}

export interface TfliteOperator {
	opcodeIndex: number;
	inputs: number[];
	outputs: number[];
	/** schema.fbs `BuiltinOptions` union type (0 = none). */
	optionsType: number;
	options: FlatTable | null;
}

export interface TfliteOperatorCode {
	/** schema.fbs `BuiltinOperator`: the larger of `deprecated_builtin_code` and `builtin_code`. */
	builtinCode: number;
	customCode: string;
	version: number;
}

export interface TfliteSubGraph {
	name: string;
	tensors: TfliteTensor[];
	inputs: number[];
	outputs: number[];
	operators: TfliteOperator[];
}

export interface TfliteModel {
	version: number;
	description: string;
	operatorCodes: TfliteOperatorCode[];
	subgraphs: TfliteSubGraph[];
	/** Buffer contents (views into the file); index 0 is the empty sentinel buffer. */
	buffers: Uint8Array[];
}

function readQuantization(t: FlatTable | null): TfliteQuantization | null {
	if (!t) return null;
	// QuantizationParameters: min 0, max 1, scale 2, zero_point 3, details (union) 4/5, quantized_dimension 6.
	const q = { min: t.float32s(0), max: t.float32s(1), scale: t.float32s(2), zeroPoint: t.int64s(3), quantizedDimension: t.int32(6) };
	return q.scale.length || q.min.length ? q : null;
}

function readTensor(t: FlatTable): TfliteTensor {
	// Tensor: shape 0, type 1, buffer 2, name 3, quantization 4, is_variable 5, sparsity 6, shape_signature 7.
	const typeCode = t.int8(1);
	return {
		shape: t.int32s(0),
		type: TENSOR_TYPES[typeCode] ?? 'unknown',
		buffer: t.uint32(2),
		name: t.string(3),
		quantization: readQuantization(t.table(4)),
		isVariable: t.bool(5),
		sparse: t.has(6),
		shapeSignature: t.int32s(7)
	};
}

function readOperator(t: FlatTable): TfliteOperator {
	// Operator: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3, builtin_options 4.
	return { opcodeIndex: t.uint32(0), inputs: t.int32s(1), outputs: t.int32s(2), optionsType: t.uint8(3), options: t.table(4) };
}

function readSubGraph(t: FlatTable): TfliteSubGraph {
	// SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4.
	return { tensors: t.tables(0).map(readTensor), inputs: t.int32s(1), outputs: t.int32s(2), operators: t.tables(3).map(readOperator), name: t.string(4) };
}

function readOperatorCode(t: FlatTable): TfliteOperatorCode {
	// OperatorCode: deprecated_builtin_code (byte) 0, custom_code 1, version 2, builtin_code (int) 3.
	return { builtinCode: Math.max(t.int8(0), t.int32(3)), customCode: t.string(1), version: t.int32(2, 1) };
}

function readBuffer(t: FlatTable, file: Uint8Array): Uint8Array {
	// Buffer: data 0; offset 1 and size 2 point into the file for models over 2 GB (offset > 1).
	const offset = t.uint64(1);
	if (offset > 1) {
		const size = t.uint64(2);
		FlatTable.check(t.bb, offset, size, 'A buffer');
		return file.subarray(offset, offset + size);
	}
	return t.vectorBytes(0) ?? new Uint8Array(0);
}

/**
 * Reads a TFLite model's tables. Weight buffers are views into `bytes`.
 * @throws FlatBufferRangeError when an offset points past the end (a truncated file).
 */
export function readTfliteModel(bytes: Uint8Array): TfliteModel {
	const root = FlatTable.root(bytes);
	// Model: version 0, operator_codes 1, subgraphs 2, description 3, buffers 4.
	return {
		version: root.uint32(0),
		operatorCodes: root.tables(1).map(readOperatorCode),
		subgraphs: root.tables(2).map(readSubGraph),
		description: root.string(3),
		buffers: root.tables(4).map((b) => readBuffer(b, bytes))
	};
}

export const activationName = (code: number): FusedActivation => ACTIVATIONS[code] ?? 'NONE';

/** Conv2DOptions: padding 0, stride_w 1, stride_h 2, fused_activation_function 3, dilation_w 4, dilation_h 5. */
export interface ConvOptions {
	padding: 'SAME' | 'VALID';
	strideW: number;
	strideH: number;
	dilationW: number;
	dilationH: number;
	activation: FusedActivation;
	/** DepthwiseConv2DOptions only. */
	depthMultiplier: number;
}

const padding = (t: FlatTable | null, index: number): 'SAME' | 'VALID' => ((t?.int8(index) ?? 0) === 1 ? 'VALID' : 'SAME');

export function conv2DOptions(t: FlatTable | null): ConvOptions {
	return {
		padding: padding(t, 0), strideW: t?.int32(1) ?? 1, strideH: t?.int32(2) ?? 1,
		activation: activationName(t?.int8(3) ?? 0), dilationW: t?.int32(4, 1) ?? 1, dilationH: t?.int32(5, 1) ?? 1, depthMultiplier: 1
	};
}

/** DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3, fused_activation_function 4, dilation_w 5, dilation_h 6. */
export function depthwiseOptions(t: FlatTable | null): ConvOptions {
	return {
		padding: padding(t, 0), strideW: t?.int32(1) ?? 1, strideH: t?.int32(2) ?? 1, depthMultiplier: t?.int32(3) ?? 1,
		activation: activationName(t?.int8(4) ?? 0), dilationW: t?.int32(5, 1) ?? 1, dilationH: t?.int32(6, 1) ?? 1
	};
}

/** Pool2DOptions: padding 0, stride_w 1, stride_h 2, filter_width 3, filter_height 4, fused_activation_function 5. */
export function pool2DOptions(t: FlatTable | null) {
	return {
		padding: padding(t, 0), strideW: t?.int32(1) ?? 1, strideH: t?.int32(2) ?? 1,
		filterW: t?.int32(3) ?? 1, filterH: t?.int32(4) ?? 1, activation: activationName(t?.int8(5) ?? 0)
	};
}

/** FullyConnectedOptions: fused_activation_function 0, weights_format 1, keep_num_dims 2. */
export function fullyConnectedOptions(t: FlatTable | null) {
	return { activation: activationName(t?.int8(0) ?? 0), weightsFormat: t?.int8(1) ?? 0, keepNumDims: t?.bool(2) ?? false };
}

/**
 * The fused activation of the options tables whose first field it is: AddOptions, SubOptions,
 * MulOptions, DivOptions (field 0); ConcatenationOptions has it at field 1 (after axis).
 */
export function leadingActivation(t: FlatTable | null): FusedActivation {
	return activationName(t?.int8(0) ?? 0);
}

/** ConcatenationOptions: axis 0, fused_activation_function 1. */
export function concatenationOptions(t: FlatTable | null) {
	return { axis: t?.int32(0) ?? 0, activation: activationName(t?.int8(1) ?? 0) };
}

/** ReshapeOptions: new_shape 0. */
export const reshapeOptions = (t: FlatTable | null) => ({ newShape: t?.int32s(0) ?? [] });
/** SoftmaxOptions: beta 0. */
export const softmaxOptions = (t: FlatTable | null) => ({ beta: t?.float32(0, 1) ?? 1 });
/** ReducerOptions: keep_dims 0. */
export const reducerOptions = (t: FlatTable | null) => ({ keepDims: t?.bool(0) ?? false });
/** SqueezeOptions: squeeze_dims 0. */
export const squeezeOptions = (t: FlatTable | null) => ({ squeezeDims: t?.int32s(0) ?? [] });
/** LeakyReluOptions: alpha 0. */
export const leakyReluOptions = (t: FlatTable | null) => ({ alpha: t?.float32(0) ?? 0 });
/** GatherOptions: axis 0, batch_dims 1. */
export const gatherOptions = (t: FlatTable | null) => ({ axis: t?.int32(0) ?? 0, batchDims: t?.int32(1) ?? 0 });
/** PackOptions: values_count 0, axis 1. */
export const packOptions = (t: FlatTable | null) => ({ valuesCount: t?.int32(0) ?? 0, axis: t?.int32(1) ?? 0 });
/** BatchMatMulOptions: adj_x 0, adj_y 1. */
export const batchMatMulOptions = (t: FlatTable | null) => ({ adjX: t?.bool(0) ?? false, adjY: t?.bool(1) ?? false });
/** StridedSliceOptions: begin_mask 0, end_mask 1, ellipsis_mask 2, new_axis_mask 3, shrink_axis_mask 4, offset 5. */
export function stridedSliceOptions(t: FlatTable | null) {
	return {
		beginMask: t?.int32(0) ?? 0, endMask: t?.int32(1) ?? 0, ellipsisMask: t?.int32(2) ?? 0,
		newAxisMask: t?.int32(3) ?? 0, shrinkAxisMask: t?.int32(4) ?? 0, offset: t?.bool(5) ?? false
	};
}
/** SplitOptions: num_splits 0. */
export const splitOptions = (t: FlatTable | null) => ({ numSplits: t?.int32(0) ?? 0 });

/** schema.fbs `BuiltinOperator` names for the codes the importer maps (others are reported by number). */
export const BUILTIN_OPS: Record<number, string> = {
	0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D', 6: 'DEQUANTIZE',
	8: 'FLOOR', 9: 'FULLY_CONNECTED', 14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU', 20: 'RELU_N1_TO_1',
	21: 'RELU6', 22: 'RESHAPE', 25: 'SOFTMAX', 28: 'TANH', 32: 'CUSTOM', 34: 'PAD', 36: 'GATHER', 39: 'TRANSPOSE',
	40: 'MEAN', 41: 'SUB', 42: 'DIV', 43: 'SQUEEZE', 45: 'STRIDED_SLICE', 47: 'EXP', 49: 'SPLIT', 53: 'CAST',
	55: 'MAXIMUM', 57: 'MINIMUM', 58: 'LESS', 59: 'NEG', 61: 'GREATER', 62: 'GREATER_EQUAL', 63: 'LESS_EQUAL', 71: 'EQUAL', 65: 'SLICE', 70: 'EXPAND_DIMS', 73: 'LOG', 74: 'SUM', 75: 'SQRT',
	76: 'RSQRT', 78: 'POW', 82: 'REDUCE_MAX', 83: 'PACK', 92: 'SQUARE', 98: 'LEAKY_RELU', 101: 'ABS',
	114: 'QUANTIZE', 117: 'HARD_SWISH', 118: 'IF', 126: 'BATCH_MATMUL', 150: 'GELU'
};
