/**
 * The fused stack: the first L window layers of a CNN (with the elementwise ops between them), from
 * the model's image input to one cut tensor that everything after the stack reads. This is the part
 * fused tile partitioning splits; the rest of the network runs untiled on the merged output.
 */
import { consumers, topoSort } from '../ir/graph';
import type { DType, Model, Node, TensorInfo } from '../ir/types';
import { inferShapes } from '../shapes/infer';
import { classifyNode, dataInput } from './local-ops';
import type { SpatialLayer } from './receptive-field';

/** One node of the stack with the window it applies (identity for elementwise ops). */
export interface StackNode {
	node: Node;
	/** The stack value the node's window reads (its first input produced in the stack). */
	data: string;
	layer: SpatialLayer;
	/** Index of the window layer this node belongs to (an elementwise node joins the layer before it). */
	layerIndex: number;
}

export interface FusedStack {
	/** The model the stack was cut from (unchanged). */
	model: Model;
	/** The stack's input: the model's image input (NCHW). */
	input: string;
	/** The cut tensor: the stack's only value read after it. */
	output: string;
	nodes: StackNode[];
	/** Window layers (Conv, MaxPool, AveragePool) in the stack. */
	layers: number;
	/** Numeric NCHW shape of the input and of every node output in the stack. */
	shapes: Record<string, number[]>;
	dtype: DType;
	/** Inferred types of every value in the model (weights included), for MACs. */
	values: Record<string, TensorInfo>;
	/** Why the stack ended before the requested depth, if it did: the first op that is not fusable. */
	stoppedAt?: { node: string; opType: string; reason: string };
}

export interface StackOptions {
	/** Window layers to fuse, counted from the input (default: as many as are fusable). */
	layers?: number;
	/** Values for symbolic dims. */
	dims?: Record<string, number>;
	/** Shape for the image input, replacing its declared one (e.g. [1, 3, 160, 160]). */
	inputShape?: number[];
	/** Inferred values to reuse (a sweep infers once). */
	values?: Record<string, TensorInfo>;
}

function numericShape(info: TensorInfo | undefined): number[] | undefined {
	return info?.shape?.every((d) => typeof d === 'number') ? (info.shape as number[]) : undefined;
}

/**
 * Cuts the fused stack out of `model`. Walks the nodes in topological order from the image input,
 * taking fusable ops until the requested number of window layers is passed or an op is not
 * spatially local, then backs off to the longest prefix whose only value read afterwards is the
 * output of its last node (so a HardSwish split over Add/Clip/Mul is never cut in the middle).
 * @throws Error when the model has no single 4-D float input or its first op is not fusable.
 */
export function fusedStack(model: Model, options: StackOptions = {}): FusedStack {
	const graph = topoSort(model.graph);
	const images = graph.inputs.filter((i) => !graph.initializers[i.name]);
	if (images.length !== 1) throw new Error(`tiling needs a model with one image input; '${graph.name}' has ${images.length}`);
	const input = images[0].name;
	const values =
		options.values ??
		inferShapes(model, options.dims ?? {}, options.inputShape ? { inputShapes: { [input]: options.inputShape } } : {}).values;
	const inShape = numericShape(values[input]);
	if (!inShape || inShape.length !== 4) throw new Error(`input '${input}' needs a numeric NCHW shape (got ${JSON.stringify(values[input]?.shape)}); give dims or an input shape`);
	const maxLayers = options.layers ?? Infinity;
	const shapes: Record<string, number[]> = { [input]: inShape };
	const taken: StackNode[] = [];
	let layers = 0;
	let stoppedAt: FusedStack['stoppedAt'];
	for (const node of graph.nodes) {
		const data = dataInput(node, (name) => name in shapes);
		const dataShape = data ? shapes[data] : undefined;
		const op = classifyNode(node, {
			inStack: (name) => name in shapes,
			initializer: (name) => graph.initializers[name],
			info: (name) => values[name]
		}, dataShape ? dataShape.slice(2) : []);
		if (op.kind === 'stop') {
			stoppedAt = { node: node.name, opType: node.opType, reason: op.reason };
			break;
		}
		if (op.window && layers >= maxLayers) break;
		const outShape = numericShape(values[node.outputs[0]]);
		if (!outShape || outShape.length !== 4 || outShape[0] !== inShape[0]) {
			stoppedAt = { node: node.name, opType: node.opType, reason: `output shape ${JSON.stringify(values[node.outputs[0]]?.shape)} is not a numeric NCHW map` };
			break;
		}
		if (op.window) layers++;
		taken.push({ node, data: data!, layer: op.layer, layerIndex: layers - 1 });
		shapes[node.outputs[0]] = outShape;
	}
	const nodes = longestCut(graph, input, taken);
	if (!nodes.length) throw new Error(`no fusable layer at the start of '${graph.name}'${stoppedAt ? `: ${stoppedAt.opType} '${stoppedAt.node}' ${stoppedAt.reason}` : ''}`);
	if (nodes.length < taken.length) stoppedAt = branchStop(graph, taken, nodes[nodes.length - 1].node.outputs[0]) ?? stoppedAt;
	const kept = new Set([input, ...nodes.map((n) => n.node.outputs[0])]);
	const count = new Set(nodes.filter((n) => n.layer.kind !== 'elementwise').map((n) => n.layerIndex)).size;
	return {
		model,
		input,
		output: nodes[nodes.length - 1].node.outputs[0],
		nodes,
		layers: count,
		shapes: Object.fromEntries(Object.entries(shapes).filter(([k]) => kept.has(k))),
		dtype: values[input]!.dtype,
		values,
		...(stoppedAt && count < maxLayers ? { stoppedAt } : {})
	};
}

/** Why the stack could not be cut deeper: its output is also read by a node past the fusable ops. */
function branchStop(graph: Model['graph'], taken: StackNode[], output: string): FusedStack['stoppedAt'] {
	const inside = new Set(taken.map((n) => n.node));
	const reader = (consumers(graph).get(output) ?? []).map((i) => graph.nodes[i]).find((n) => !inside.has(n));
	if (!reader) return undefined;
	return {
		node: reader.name,
		opType: reader.opType,
		reason: `also reads '${output}' (a skip or multi-scale branch), so no deeper cut leaves a single value crossing`
	};
}

/** The longest prefix of `taken` with at least one window layer after which only its last output is still read. */
function longestCut(graph: Model['graph'], input: string, taken: StackNode[]): StackNode[] {
	const readers = consumers(graph);
	const position = new Map(graph.nodes.map((n, i) => [n, i]));
	const graphOutputs = new Set(graph.outputs.map((o) => o.name));
	for (let p = taken.length; p > 0; p--) {
		const last = taken[p - 1];
		if (!taken.slice(0, p).some((n) => n.layer.kind !== 'elementwise')) return [];
		const boundary = position.get(last.node)!;
		const produced = [input, ...taken.slice(0, p).map((n) => n.node.outputs[0])];
		const live = produced.filter((name) => graphOutputs.has(name) || (readers.get(name) ?? []).some((r) => r > boundary));
		if (live.length === 1 && live[0] === last.node.outputs[0]) return taken.slice(0, p);
	}
	return [];
}
