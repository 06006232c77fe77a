/** ONNX `TensorProto.DataType` codes (1..26, onnx.proto of ONNX 1.20) and the IR's dtype names. */
import type { DType } from '../../ir/types';

const BY_CODE: DType[] = [
	'undefined', 'float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool',
	'float16', 'float64', 'uint32', 'uint64', 'complex64', 'complex128', 'bfloat16',
	'float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz', 'uint4', 'int4', 'float4e2m1',
	'float8e8m0', 'uint2', 'int2'
];

const BY_NAME = new Map<DType, number>(BY_CODE.map((name, code) => [name, code]));

/** The IR dtype of an ONNX data type code, or null for a code this version does not know. */
export function dtypeFromOnnx(code: number): DType | null {
	return BY_CODE[code] ?? null;
}

/** The ONNX data type code of an IR dtype. */
export function dtypeToOnnx(dtype: DType): number {
	return BY_NAME.get(dtype) ?? 0;
}

/** The ONNX spelling of a dtype (FLOAT, INT64, FLOAT8E4M3FN…), for messages. */
export function onnxTypeName(code: number): string {
	const names = ['UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL',
		'FLOAT16', 'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16', 'FLOAT8E4M3FN',
		'FLOAT8E4M3FNUZ', 'FLOAT8E5M2', 'FLOAT8E5M2FNUZ', 'UINT4', 'INT4', 'FLOAT4E2M1', 'FLOAT8E8M0', 'UINT2', 'INT2'];
	return names[code] ?? `type ${code}`;
}
