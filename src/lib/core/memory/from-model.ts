/**
 * Everything the ledger and the estimates need from a model, in one pass: the executed graph, the
 * activation buffers in execution order, per-operator costs and weight totals.
 */
import { chooseDims, resolvedDims } from '../analysis/dims';
import { flattenExecution } from '../analysis/execution';
import { tensorByteLength } from '../ir/dtype';
import type { Graph, Model, TensorInfo } from '../ir/types';
import { inferShapes } from '../shapes/infer';
import { nodeMacs } from '../shapes/macs';
import { costDtype, type OpCost } from '../devices/op-cost';
import { activationBuffers, valueBytes, type ActivationBuffer } from './lifetimes';

export interface ModelMemory {
	/** The flat executed graph (If branches inlined); node index = step. */
	graph: Graph;
	values: Record<string, TensorInfo>;
	buffers: ActivationBuffer[];
	ops: OpCost[];
	/** Bytes of the weights the executed path reads. */
	weightBytes: number;
	/** The most weight bytes one operator reads: what a layer-by-layer stream must hold at once. */
	largestLayerWeightBytes: number;
}

/** Costs of each node: MACs, weight bytes read, activation bytes read + written, compute dtype. */
export function opCosts(graph: Graph, values: Record<string, TensorInfo>): OpCost[] {
	return graph.nodes.map((node) => {
		let weightBytes = 0;
		let activationBytes = 0;
		let dtype = undefined as TensorInfo['dtype'] | undefined;
		for (const name of node.inputs) {
			if (!name) continue;
			const w = graph.initializers[name];
			if (w) {
				weightBytes += tensorByteLength(w.dtype, w.dims);
				dtype ??= w.dtype;
			} else activationBytes += valueBytes(values[name]);
		}
		for (const name of node.outputs) if (name) activationBytes += valueBytes(values[name]);
		dtype ??= values[node.inputs.find((i) => i) ?? '']?.dtype ?? 'float32';
		return { name: node.name || `${node.opType}#${node.outputs[0]}`, opType: node.opType, macs: nodeMacs(node, values), dtype: costDtype(dtype), weightBytes, activationBytes };
	});
}

/** Shape inference, flattening and lifetimes for `model` with the given symbolic dims. Pure. */
export function modelMemory(model: Model, options: { dims?: Record<string, number>; inputValues?: Record<string, ArrayLike<number | bigint>> } = {}): ModelMemory {
	const dims = chooseDims(model.graph, options.dims ?? {});
	const inference = inferShapes(model, resolvedDims(dims), { inputValues: options.inputValues });
	const { graph } = flattenExecution(model.graph, inference);
	const ops = opCosts(graph, inference.values);
	return {
		graph,
		values: inference.values,
		buffers: activationBuffers(graph, inference.values),
		ops,
		weightBytes: Object.values(graph.initializers).reduce((s, w) => s + tensorByteLength(w.dtype, w.dims), 0),
		largestLayerWeightBytes: Math.max(0, ...ops.map((o) => o.weightBytes))
	};
}
