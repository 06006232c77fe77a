/**
 * Runs ONNX bytes in onnxruntime-web's wasm backend inside Node (Vitest), one thread, releasing
 * the session every time. Test support only: the app runs models in a worker (src/lib/engines).
 */
import * as ort from 'onnxruntime-web';
import type { TensorData } from '../core/ir/typed-array';
import type { DType } from '../core/ir/types';
import type { TensorMap, TensorValue } from './tensor-value';

export type { TensorMap, TensorValue } from './tensor-value';
export { compareOutputs, type CompareOptions } from './compare';
export { conformanceDir } from './conformance';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

function toOrt(name: string, value: TensorValue): ort.Tensor {
	try {
		return new ort.Tensor(value.dtype as ort.Tensor.Type, value.data as ort.Tensor.DataType, value.dims);
	} catch (error) {
		throw new Error(`Cannot hand input '${name}' (${value.dtype}[${value.dims.join(',')}]) to onnxruntime-web: ${(error as Error).message}`);
	}
}

/**
 * Loads `bytes` into a fresh onnxruntime-web session, runs it once on `feeds`, and returns every
 * graph output. The session is released even when loading or running fails.
 * @throws the onnxruntime error, prefixed with what was being done.
 */
export async function runOnnx(bytes: Uint8Array, feeds: TensorMap): Promise<TensorMap> {
	const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
	try {
		const inputs: Record<string, ort.Tensor> = {};
		for (const [name, value] of Object.entries(feeds)) inputs[name] = toOrt(name, value);
		const results = await session.run(inputs);
		const outputs: TensorMap = {};
		for (const [name, tensor] of Object.entries(results)) {
			outputs[name] = { dtype: tensor.type as DType, dims: [...tensor.dims], data: tensor.data as TensorData | string[] };
			tensor.dispose();
		}
		return outputs;
	} finally {
		await session.release();
	}
}
