/**
 * Activation lifetimes: which intermediate tensors exist at each execution step. The input to every
 * arena planner (later issues); here also the naive peak with no reuse at all.
 */
import { consumers } from '../ir/graph';
import { tensorByteLength } from '../ir/dtype';
import type { Graph, TensorInfo } from '../ir/types';
import type { BufferRequest } from './types';

/** Where an activation sits in the graph: planners usually leave graph inputs and outputs out. */
export type ActivationRole = 'graph-input' | 'graph-output' | 'intermediate';

/** A BufferRequest with its role, so a planner can drop the I/O buffers. */
export interface ActivationBuffer extends BufferRequest {
	role: ActivationRole;
}

/** Byte size of a value whose shape is fully numeric; 0 when any dim is still symbolic or unknown. */
export function valueBytes(info: TensorInfo | undefined): number {
	if (!info?.shape || info.dtype === 'undefined' || info.dtype === 'string') return 0;
	if (!info.shape.every((d) => typeof d === 'number')) return 0;
	return tensorByteLength(info.dtype, info.shape as number[]);
}

/**
 * One buffer per activation of `graph`, in execution order (node index = step): every graph input
 * (firstStep 0) and every node output. firstStep is the producing node's index, lastStep the last
 * node that reads it (values read inside a node's subgraphs count as read by that node); graph
 * outputs live to the last step; a value nobody reads dies where it is born. Weights
 * (initializers) are not activations. Sizes come from `values` (inferred shapes); a value whose
 * size is unknown gets 0 bytes.
 */
export function activationBuffers(graph: Graph, values: Record<string, TensorInfo>): ActivationBuffer[] {
	const lastStep = Math.max(graph.nodes.length - 1, 0);
	const readers = consumers(graph);
	const outputs = new Set(graph.outputs.map((o) => o.name));
	const buffers: ActivationBuffer[] = [];
	const seen = new Set<string>();
	const add = (id: string, firstStep: number, isInput: boolean) => {
		if (seen.has(id) || graph.initializers[id]) return;
		seen.add(id);
		const reads = readers.get(id);
		const isOutput = outputs.has(id);
		buffers.push({
			id,
			sizeBytes: valueBytes(values[id]),
			firstStep,
			lastStep: isOutput ? lastStep : Math.max(firstStep, reads ? reads[reads.length - 1] : firstStep),
			role: isInput ? 'graph-input' : isOutput ? 'graph-output' : 'intermediate'
		});
	};
	for (const input of graph.inputs) add(input.name, 0, true);
	graph.nodes.forEach((node, step) => {
		for (const out of node.outputs) if (out) add(out, step, false);
	});
	return buffers;
}

/** Only the buffers a planner places in its arena: neither graph inputs nor graph outputs. */
export function intermediateBuffers(buffers: ActivationBuffer[]): ActivationBuffer[] {
	return buffers.filter((b) => b.role === 'intermediate');
}

/** The most bytes live at once with no reuse, and the first step where that happens. */
export interface LivePeak {
	peakBytes: number;
	step: number;
}

/**
 * Sum of sizes of the buffers live at each step (firstStep ≤ step ≤ lastStep), and its maximum over
 * `steps` steps. A sweep over start/end events, O((buffers + steps)).
 */
export function peakLiveBytes(buffers: BufferRequest[], steps: number): LivePeak {
	const delta = new Array<number>(Math.max(steps, 1) + 1).fill(0);
	for (const b of buffers) {
		delta[Math.min(b.firstStep, delta.length - 2)] += b.sizeBytes;
		delta[Math.min(b.lastStep, delta.length - 2) + 1] -= b.sizeBytes;
	}
	let live = 0;
	let peak: LivePeak = { peakBytes: 0, step: 0 };
	for (let step = 0; step < delta.length - 1; step++) {
		live += delta[step];
		if (live > peak.peakBytes) peak = { peakBytes: live, step };
	}
	return peak;
}
