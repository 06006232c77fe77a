/**
 * The graph IR every format imports into and exports from. Plain data: no classes, no methods,
 * so it crosses worker boundaries with structured clone and transfers its weight buffers.
 */

/** Element types, named as onnxruntime-web names them where it has a name. */
export type DType =
	| 'float32' | 'float16' | 'bfloat16' | 'float64'
	| 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
	| 'bool' | 'string'
	| 'int4' | 'uint4' | 'int2' | 'uint2'
	| 'float8e4m3fn' | 'float8e4m3fnuz' | 'float8e5m2' | 'float8e5m2fnuz' | 'float8e8m0' | 'float4e2m1'
	| 'complex64' | 'complex128' | 'undefined';

/** A dimension: a known size, or a symbolic name resolved later from user-given or default dims. */
export type Dim = number | string;

/** What is known of a value's type. `shape === null` means the rank itself is unknown. */
export interface TensorInfo {
	name: string;
	dtype: DType;
	shape: Dim[] | null;
}

/** Where a weight came from, so an exporter can say so and the summary can count both. */
export type WeightOrigin = 'initializer' | 'constant-node';

/**
 * A constant tensor (weight, bias, shape constant). `data` holds the little-endian bytes of all
 * elements, row-major, sub-byte types packed as ONNX packs them; `strings` is used for dtype 'string'.
 */
export interface Initializer {
	name: string;
	dtype: DType;
	dims: number[];
	data: Uint8Array;
	strings?: string[];
	origin: WeightOrigin;
}

export type AttrValue =
	| { type: 'float'; value: number }
	| { type: 'int'; value: number }
	| { type: 'string'; value: string }
	| { type: 'tensor'; value: Initializer }
	| { type: 'graph'; value: Graph }
	| { type: 'floats'; value: number[] }
	| { type: 'ints'; value: number[] }
	| { type: 'strings'; value: string[] }
	| { type: 'tensors'; value: Initializer[] }
	| { type: 'graphs'; value: Graph[] };

/** One operator application. An absent optional input is the empty string, as in ONNX. */
export interface Node {
	name: string;
	opType: string;
	/** '' (or 'ai.onnx') for the default domain. */
	domain: string;
	inputs: string[];
	outputs: string[];
	attrs: Record<string, AttrValue>;
}

/** A graph: nodes in topological order; initializers are not listed among `inputs`. */
export interface Graph {
	name: string;
	nodes: Node[];
	inputs: TensorInfo[];
	outputs: TensorInfo[];
	initializers: Record<string, Initializer>;
	/** Declared intermediate types (ONNX value_info), as the file gave them. */
	valueInfo: Record<string, TensorInfo>;
}

export interface OpsetImport {
	domain: string;
	version: number;
}

/** A whole model with enough of its envelope to export it again. */
export interface Model {
	format: 'onnx' | 'tfjs' | 'tflite';
	graph: Graph;
	irVersion: number;
	opsetImports: OpsetImport[];
	producerName: string;
	producerVersion: string;
	docString?: string;
	metadata: Record<string, string>;
}
