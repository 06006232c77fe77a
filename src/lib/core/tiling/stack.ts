/**
 * The fused stack: L window layers of a CNN (with the elementwise ops between them), from the model's
 * image input — or, for a stack starting at layer a > 0, from the feature map that layer reads — to one
 * cut tensor that everything after the stack reads. This is the part fused tile partitioning splits;
 * the layers before it (the prefix) and the rest of the network run untiled.
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
	/** The stack's input (NCHW): the model's image input, or the feature map layer `first` reads. */
	input: string;
	/** The model's image input (the same as `input` when the stack starts at layer 0). */
	source: string;
	/** Index of the first fused window layer, counted from the input (Darknet style): 0 or the a of `--layers a..b`. */
	first: number;
	/** The nodes before the stack, run untiled to produce `input` from `source` (empty when `first` is 0). */
	prefix: StackNode[];
	/** Window layers up to this stack's last where a stack can start: one value crosses the cut before them (0 always can). */
	starts: number[];
	/** The cut tensor: the stack's only value read after it. */
	output: string;
	nodes: StackNode[];
	/** Window layers (Conv, MaxPool, AveragePool) in the stack. */
	layers: number;
	/** Numeric NCHW shape of the image input and of every node output in the prefix and the stack. */
	shapes: Record<string, number[]>;
	dtype: DType;
	/** Inferred types of every value in the model (weights included), for MACs. */
	values: Record<string, TensorInfo>;
	/** Why the stack ended before the requested depth, if it did: the first op that is not fusable. */
	stoppedAt?: { node: string; opType: string; reason: string };
}

export interface StackOptions {
	/** The first window layer to fuse, counted from the input (default 0). Layers before it run untiled. */
	from?: number;
	/** Window layers to fuse, counted from `from` (default: as many as are fusable). */
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
 * With `from` = a > 0 the nodes before layer a's window op are the untiled prefix, and the stack
 * starts at the one value that crosses that cut.
 * @throws Error when the model has no single 4-D float input, its first op is not fusable, layer
 * `from` is past the fusable layers, or more than one value crosses the cut before it (a skip branch).
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
	const from = options.from ?? 0;
	if (!Number.isInteger(from) || from < 0) throw new Error(`the first fused layer must be an integer ≥ 0 (got ${from})`);
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
		if (op.window && layers >= from + maxLayers) break;
		const outShape = numericShape(values[node.outputs[0]]);
		if (!outShape || outShape.length !== 4 || outShape[0] !== inShape[0]) {
			stoppedAt = { node: node.name, opType: node.opType, reason: `output shape ${JSON.stringify(values[node.outputs[0]]?.shape)} is not a numeric NCHW map` };
			break;
		}
		if (op.window) layers++;
		taken.push({ node, data: data!, layer: op.layer, layerIndex: layers - 1 });
		shapes[node.outputs[0]] = outShape;
	}
	const why = stoppedAt ? `: ${stoppedAt.opType} '${stoppedAt.node}' ${stoppedAt.reason}` : '';
	const starts = cutStarts(graph, input, taken);
	let begin = 0;
	let stackInput = input;
	if (from > 0) {
		begin = taken.findIndex((n) => n.layerIndex === from && n.layer.kind !== 'elementwise');
		if (begin < 0) throw new Error(`'${graph.name}' fuses layers 0..${layers - 1} from its input, so no stack can start at layer ${from}${why}`);
		if (!starts.includes(from)) {
			throw new Error(`a stack cannot start at layer ${from} of '${graph.name}': more than one value crosses the cut before it (a skip or residual branch); layers that can start one: ${starts.join(', ')}`);
		}
		stackInput = taken[begin].data;
	}
	const prefix = taken.slice(0, begin);
	const nodes = longestCut(graph, stackInput, taken.slice(begin));
	if (!nodes.length) {
		const branch = taken.length ? branchStop(graph, taken, taken[taken.length - 1].node.outputs[0]) : undefined;
		const reason = branch ? `: ${branch.opType} '${branch.node}' ${branch.reason}` : why;
		throw new Error(from ? `no fusable stack starts at layer ${from} of '${graph.name}'${reason}` : `no fusable layer at the start of '${graph.name}'${why}`);
	}
	if (begin + nodes.length < taken.length) stoppedAt = branchStop(graph, taken, nodes[nodes.length - 1].node.outputs[0]) ?? stoppedAt;
	const kept = new Set([input, ...prefix.map((n) => n.node.outputs[0]), ...nodes.map((n) => n.node.outputs[0])]);
	const count = new Set(nodes.filter((n) => n.layer.kind !== 'elementwise').map((n) => n.layerIndex)).size;
	return {
		model,
		input: stackInput,
		source: input,
		first: from,
		prefix,
		starts: starts.filter((i) => i <= nodes[nodes.length - 1].layerIndex),
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

/**
 * Window layers before which the walked nodes can be cut with one value crossing: layer i's window op
 * reads it, and no other value produced before it (the image input included) is read at or after it.
 */
function cutStarts(graph: Model['graph'], input: string, taken: StackNode[]): number[] {
	const readers = consumers(graph);
	const position = new Map(graph.nodes.map((n, i) => [n, i]));
	const graphOutputs = new Set(graph.outputs.map((o) => o.name));
	const starts: number[] = [];
	taken.forEach((n, p) => {
		if (n.layer.kind === 'elementwise' || taken.findIndex((m) => m.layerIndex === n.layerIndex) !== p) return;
		if (n.layerIndex === 0) return void starts.push(0);
		const boundary = position.get(taken[p - 1].node)!;
		const produced = [input, ...taken.slice(0, p).map((m) => m.node.outputs[0])];
		const live = produced.filter((name) => graphOutputs.has(name) || (readers.get(name) ?? []).some((r) => r > boundary));
		if (live.length === 1 && live[0] === n.data) starts.push(n.layerIndex);
	});
	return starts;
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
