/** Reads a serialized ONNX TensorProto (the conformance suite's `input_N.pb`/`output_N.pb`). */
import { tensorFromProto } from '../core/formats/onnx/tensor';
import { onnx } from '../core/formats/onnx/proto';
import { typedArrayFromBytes } from '../core/ir/typed-array';
import type { TensorValue } from './tensor-value';

/** A decoded TensorProto: its `name` plus its value. */
export interface NamedTensor extends TensorValue {
	name: string;
}

/**
 * Decodes one TensorProto file's bytes, whichever storage field it uses (raw_data, int32_data…).
 * @throws ModelFormatError when the tensor is malformed.
 */
export function readTensorProto(bytes: Uint8Array): NamedTensor {
	const proto = onnx.TensorProto.decode(bytes);
	const init = tensorFromProto(proto, 'initializer', `tensor '${proto.name}'`);
	const data = init.dtype === 'string' ? (init.strings ?? []) : typedArrayFromBytes(init.dtype, init.data);
	return { name: init.name, dtype: init.dtype, dims: init.dims, data };
}
