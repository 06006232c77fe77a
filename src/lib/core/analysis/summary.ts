/**
 * The model summary the page and `tightfit analyze` show: operators, weights, MACs, shapes and the
 * activation memory in execution order (no reuse planning).
 */
import { tensorByteLength } from '../ir/dtype';
import type { Dim, DType, Model } from '../ir/types';
import { activationBuffers, peakLiveBytes, valueBytes } from '../memory/lifetimes';
import { inferShapes } from '../shapes/infer';
import { nodeMacs } from '../shapes/macs';
import type { UnsupportedNode } from '../shapes/types';
import { chooseDims, resolvedDims, type DimChoice } from './dims';
import { allGraphs, flattenExecution, type BranchChoice } from './execution';

export interface AnalyzeOptions {
	/** Values for symbolic dims (e.g. the zoo manifest's defaultDims). */
	dims?: Record<string, number>;
	/**
	 * Values of small graph inputs, folded during inference: e.g. `{ sr: [16000] }` for Silero VAD, so
	 * its If nodes follow the 16 kHz branch. Without it, an If whose condition depends on an input is
	 * inferred on both branches and the analysis follows the heavier one (reported in `branches`).
	 */
	inputValues?: Record<string, ArrayLike<number | bigint>>;
}

export interface TensorSummary {
	name: string;
	dtype: DType;
	/** Inferred shape, dims resolved where values were given or defaulted; null when unknown. */
	shape: Dim[] | null;
}

/** One executed node, for per-layer charts. */
export interface LayerRow {
	step: number;
	name: string;
	opType: string;
	macs: number;
	/** Bytes of the weights (initializers) this node reads. */
	weightBytes: number;
	/** Bytes of the node's outputs (0 for outputs whose shape is not fully known). */
	outputBytes: number;
	outputShape: Dim[] | null;
}

export interface ModelSummary {
	/** Operator nodes in the file, subgraphs included, not counting Constant nodes that became weights. */
	nodes: number;
	/** Weights that the file stores as Constant nodes (PP-OCR stores all its weights that way). */
	constantWeights: number;
	/** Op type → node count over the main graph and every subgraph (all If branches), as in the file. */
	opCounts: Record<string, number>;
	/** Elements of numeric weight tensors (initializers and Constant-node weights, all subgraphs). */
	params: number;
	/** Bytes of those weights, packed as stored. */
	weightBytes: number;
	weightBytesByDtype: Partial<Record<DType, number>>;
	/** Multiply-accumulates of one run along the executed path (see `branches`). */
	macs: number;
	/** Distinct values (inputs, weights, intermediates) known to shape inference. */
	tensors: number;
	inputs: TensorSummary[];
	outputs: TensorSummary[];
	/** The biggest activation (graph inputs and outputs included); null when no size is known. */
	largestActivation: { name: string; bytes: number; shape: Dim[] | null } | null;
	/** Most activation bytes live at once in execution order with no buffer reuse, I/O included. */
	peakLiveActivationBytes: number;
	peakLiveStep: number;
	peakLiveNode: string;
	/** Symbolic input dims and the values used for them. */
	dims: Record<string, DimChoice>;
	/** Nodes shape inference could not handle; their outputs have unknown sizes. */
	unsupported: UnsupportedNode[];
	/** If nodes the analysis inlined, and which branch. */
	branches: BranchChoice[];
	/** One row per executed node, in execution order. */
	layers: LayerRow[];
	opset: number;
	irVersion: number;
	producer: string;
}

/** Analyzes a model: shape inference, weights, MACs and activation lifetimes. Pure; does not modify `model`. */
export function analyze(model: Model, options: AnalyzeOptions = {}): ModelSummary {
	const dims = chooseDims(model.graph, options.dims ?? {});
	const inference = inferShapes(model, resolvedDims(dims), { inputValues: options.inputValues });
	const { values } = inference;
	const { graph: flat, branches } = flattenExecution(model.graph, inference);

	const opCounts: Record<string, number> = {};
	let params = 0;
	let weightBytes = 0;
	let constantWeights = 0;
	const weightBytesByDtype: Partial<Record<DType, number>> = {};
	for (const g of allGraphs(model.graph)) {
		for (const node of g.nodes) opCounts[node.opType] = (opCounts[node.opType] ?? 0) + 1;
		for (const init of Object.values(g.initializers)) {
			const bytes = tensorByteLength(init.dtype, init.dims);
			if (init.origin === 'constant-node') constantWeights++;
			if (init.dtype !== 'string' && init.dtype !== 'bool') params += init.dims.reduce((a, b) => a * b, 1);
			weightBytes += bytes;
			weightBytesByDtype[init.dtype] = (weightBytesByDtype[init.dtype] ?? 0) + bytes;
		}
	}

	const layers: LayerRow[] = flat.nodes.map((node, step) => ({
		step,
		name: node.name,
		opType: node.opType,
		macs: nodeMacs(node, values),
		weightBytes: node.inputs.reduce((s, i) => {
			const w = i ? flat.initializers[i] : undefined;
			return s + (w ? tensorByteLength(w.dtype, w.dims) : 0);
		}, 0),
		outputBytes: node.outputs.reduce((s, o) => s + (o ? valueBytes(values[o]) : 0), 0),
		outputShape: values[node.outputs[0]]?.shape ?? null
	}));

	const buffers = activationBuffers(flat, values);
	const peak = peakLiveBytes(buffers, flat.nodes.length);
	const largest = buffers.reduce<(typeof buffers)[number] | undefined>((m, b) => (b.sizeBytes > (m?.sizeBytes ?? 0) ? b : m), undefined);
	const io = (t: { name: string; dtype: DType; shape: Dim[] | null }): TensorSummary => ({
		name: t.name,
		dtype: values[t.name]?.dtype ?? t.dtype,
		shape: values[t.name]?.shape ?? t.shape
	});

	return {
		nodes: Object.values(opCounts).reduce((a, b) => a + b, 0),
		constantWeights,
		opCounts,
		params,
		weightBytes,
		weightBytesByDtype,
		macs: layers.reduce((s, l) => s + l.macs, 0),
		tensors: Object.keys(values).length,
		inputs: model.graph.inputs.filter((i) => !model.graph.initializers[i.name]).map(io),
		outputs: model.graph.outputs.map(io),
		largestActivation: largest ? { name: largest.id, bytes: largest.sizeBytes, shape: values[largest.id]?.shape ?? null } : null,
		peakLiveActivationBytes: peak.peakBytes,
		peakLiveStep: peak.step,
		peakLiveNode: flat.nodes[peak.step]?.name ?? '',
		dims,
		unsupported: inference.unsupported,
		branches,
		layers,
		opset: inference.opset,
		irVersion: model.irVersion,
		producer: [model.producerName, model.producerVersion].filter(Boolean).join(' ')
	};
}
