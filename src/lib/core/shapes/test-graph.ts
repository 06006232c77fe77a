/** Tiny hand-built models for the shape, MAC and lifetime unit tests. */
import type { AttrValue, DType, Initializer, Model, Node, TensorInfo } from '../ir/types';

export const t = (name: string, dtype: DType, shape: TensorInfo['shape']): TensorInfo => ({ name, dtype, shape });

export function int64s(name: string, values: number[], dims = [values.length]): Initializer {
	const data = new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
	return { name, dtype: 'int64', dims, data, origin: 'initializer' };
}

export function floats(name: string, dims: number[], fill = 0): Initializer {
	const n = dims.reduce((a, b) => a * b, 1);
	return { name, dtype: 'float32', dims, data: new Uint8Array(new Float32Array(n).fill(fill).buffer), origin: 'initializer' };
}

export const ints = (value: number[]): AttrValue => ({ type: 'ints', value });
export const int = (value: number): AttrValue => ({ type: 'int', value });
export const str = (value: string): AttrValue => ({ type: 'string', value });

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): Node {
	return { name: `${opType}_${outputs[0]}`, opType, domain: '', inputs, outputs, attrs };
}

/** A model from nodes, graph inputs and initializers; outputs are the last node's outputs. */
export function model(nodes: Node[], inputs: TensorInfo[], inits: Initializer[] = [], opset = 18, outputs?: string[]): Model {
	const outs = outputs ?? nodes[nodes.length - 1].outputs;
	return {
		format: 'onnx',
		graph: {
			name: 'test',
			nodes,
			inputs,
			outputs: outs.map((name) => ({ name, dtype: 'undefined', shape: null })),
			initializers: Object.fromEntries(inits.map((i) => [i.name, i])),
			valueInfo: {}
		},
		irVersion: 8,
		opsetImports: [{ domain: '', version: opset }],
		producerName: 'test',
		producerVersion: '',
		metadata: {}
	};
}
