/**
 * What the memory views need from a model, as plain data the analysis worker sends to the page:
 * the activation buffers in the model's order and in the reordered (lower-peak) order, per-operator
 * costs and weight totals. Planners, the ledger and the estimates then run on the main thread.
 */
import type { OpCost } from '../core/devices/op-cost';
import type { Model } from '../core/ir/types';
import { modelMemory } from '../core/memory/from-model';
import { activationBuffers, valueBytes, type ActivationBuffer } from '../core/memory/lifetimes';
import { reorder, reorderGraph } from '../core/memory/reorder';

/** The buffers of one execution order, and the op that runs at each step (for tooltips). */
export interface OrderData {
	buffers: ActivationBuffer[];
	/** `opAtStep[t]` = "name (OpType)" of the operator at step t. */
	opAtStep: string[];
	/** Most bytes live at once over all buffers (I/O included) in this order. */
	peakBytes: number;
}

export interface MemoryData {
	model: OrderData;
	optimized: OrderData & { method: 'exact' | 'greedy' | 'original'; states: number };
	ops: OpCost[];
	weightBytes: number;
	largestLayerWeightBytes: number;
	/** Bytes of the graph inputs and outputs. */
	ioBytes: number;
	/** Wall time of computing this in the worker, milliseconds. */
	computeMs: number;
}

/** Shape inference, lifetimes, per-op costs and reordering for `model`. Pure. */
export function memoryData(model: Model, options: { dims?: Record<string, number>; inputValues?: Record<string, number[]> } = {}): MemoryData {
	const t0 = performance.now();
	const mem = modelMemory(model, options);
	const label = (i: number, graph = mem.graph) => {
		const n = graph.nodes[i];
		return n ? `${n.name || n.outputs[0]} (${n.opType})` : '';
	};
	const steps = (graph = mem.graph) => graph.nodes.map((_, i) => label(i, graph));
	const sizeOf = (name: string) => valueBytes(mem.values[name]);
	const r = reorder(mem.graph, sizeOf);
	const reordered = reorderGraph(mem.graph, r.order);
	const optimizedBuffers = activationBuffers(reordered, mem.values);
	return {
		model: { buffers: mem.buffers, opAtStep: steps(), peakBytes: r.originalPeakBytes },
		optimized: { buffers: optimizedBuffers, opAtStep: steps(reordered), peakBytes: r.peakBytes, method: r.method, states: r.states },
		ops: mem.ops,
		weightBytes: mem.weightBytes,
		largestLayerWeightBytes: mem.largestLayerWeightBytes,
		ioBytes: mem.buffers.filter((b) => b.role !== 'intermediate').reduce((s, b) => s + b.sizeBytes, 0),
		computeMs: performance.now() - t0
	};
}
