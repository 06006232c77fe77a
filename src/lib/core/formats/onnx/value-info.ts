/**
 * ValueInfoProto ↔ TensorInfo. An unset dimension (neither dim_value nor dim_param), or one whose
 * dim_value is negative or past 2^53, gets a generated symbolic name `unk_<value>_<axis>` so that
 * later stages can ask the user for it.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { Dim, TensorInfo } from '../../ir/types';
import { dtypeFromOnnx, dtypeToOnnx } from './dtype-codes';
import { type Int64, int64ToNumber, numberToInt64 } from './proto';

/** The generated name of an unset dimension. */
export function unknownDimName(valueName: string, axis: number): string {
	return `unk_${valueName}_${axis}`;
}

/**
 * Converts a ValueInfoProto. Non-tensor types (sequence, map, optional) have no IR form yet and
 * come back as dtype 'undefined' with an unknown rank.
 */
export function tensorInfoFromProto(info: OnnxTypes.IValueInfoProto): TensorInfo {
	const name = info.name ?? '';
	const tensorType = info.type?.tensorType;
	if (!tensorType) return { name, dtype: 'undefined', shape: null };
	const dtype = dtypeFromOnnx(tensorType.elemType ?? 0) ?? 'undefined';
	if (!tensorType.shape) return { name, dtype, shape: null };
	const shape: Dim[] = (tensorType.shape.dim ?? []).map((dim, axis) => {
		const which = (dim as OnnxTypes.TensorShapeProto.Dimension).value;
		if (which === 'dimValue') {
			// A negative or absurd dim_value (buggy exporters write -1 for "unknown") is read as unknown.
			const value = int64ToNumber(dim.dimValue as Int64);
			return Number.isSafeInteger(value) && value >= 0 ? value : unknownDimName(name, axis);
		}
		if (which === 'dimParam' && dim.dimParam) return dim.dimParam;
		return unknownDimName(name, axis);
	});
	return { name, dtype, shape };
}

/** Converts a TensorInfo back; dtype 'undefined' with an unknown rank writes a name without a type. */
export function tensorInfoToProto(info: TensorInfo): OnnxTypes.IValueInfoProto {
	if (info.dtype === 'undefined' && info.shape === null) return { name: info.name };
	const tensorType: OnnxTypes.TypeProto.ITensor = { elemType: dtypeToOnnx(info.dtype) };
	if (info.shape) {
		tensorType.shape = {
			dim: info.shape.map((d) => (typeof d === 'number' ? { dimValue: numberToInt64(d) as number } : { dimParam: d }))
		};
	}
	return { name: info.name, type: { tensorType } };
}
