/** The plain tensor value the test helpers pass around: dtype, dims and a typed array (or strings). */
import type { TensorData } from '../core/ir/typed-array';
import type { DType } from '../core/ir/types';

export interface TensorValue {
	dtype: DType;
	dims: number[];
	/** Elements in the array type onnxruntime-web uses for the dtype; string tensors as `string[]`. */
	data: TensorData | string[];
}

/** Named tensors, as fed to or returned by a model. */
export type TensorMap = Record<string, TensorValue>;
