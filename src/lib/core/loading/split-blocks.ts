/**
 * Splits a model into blocks (per-layer or per-block sub-models) for the measured mode: each block is a
 * standalone Model whose inputs are the values crossing the cut before it and whose outputs are the values
 * later blocks (or the model's outputs) read. Run in sequence, feeding each block from the values produced so
 * far, the blocks compute what the whole model computes.
 *
 * Weights go with the blocks that read them (copied into each reader, never carried across a cut).
 * Cuts fall between nodes of the top-level graph: an If or Loop stays whole inside one block (Silero VAD's
 * top level is a few nodes around one If). Constant nodes are treated as weights: PP-OCR stores every weight
 * as one, so a Constant node is not cut into the partition but copied into each block that reads its output.
 */
import { implicitInputs } from '../ir/graph';
import type { Graph, Initializer, Model, Node, TensorInfo } from '../ir/types';

export interface Block {
	/** A valid model: the block's nodes, its weights, its crossing values as inputs and outputs. */
	model: Model;
	/** Values it reads from the model's inputs or from earlier blocks. */
	inputs: string[];
	/** Values it hands on to later blocks or to the model's outputs. */
	outputs: string[];
	/** Indices (in the original graph's node list) of the non-Constant nodes it runs. */
	nodes: number[];
	/** Bytes of the weights (initializers and Constant nodes) it holds. */
	weightBytes: number;
}

const isConstant = (node: Node): boolean => node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx') && node.inputs.length === 0;

function constantBytes(node: Node): number {
	const attr = node.attrs.value;
	return attr?.type === 'tensor' ? attr.value.data.byteLength : 0;
}

/** Everything a node reads, its subgraphs' outer references included. */
function readsOf(node: Node): string[] {
	return [...node.inputs.filter((n) => n !== ''), ...implicitInputs(node)];
}

/**
 * Splits `model` at `cuts`: a block count (cut where the weights balance), or the indices, in the list of
 * non-Constant nodes, where blocks 2, 3, … start. `values` gives the type of every value (shape inference's
 * `values`); the graph's own inputs, outputs and value_info fill gaps. Throws naming a crossing value whose
 * type is unknown.
 */
export function splitIntoBlocks(model: Model, values: Record<string, TensorInfo>, cuts: number | number[]): Block[] {
	const graph = model.graph;
	const work: number[] = [];
	const constants = new Map<string, Node>();
	graph.nodes.forEach((node, i) => {
		if (isConstant(node)) node.outputs.forEach((o) => constants.set(o, node));
		else work.push(i);
	});
	const starts = typeof cuts === 'number' ? balancedCuts(graph, work, constants, cuts) : [...cuts];
	if (starts.some((c, i) => c <= 0 || c >= work.length || (i > 0 && c <= starts[i - 1])))
		throw new Error(`cut points ${JSON.stringify(starts)} must rise strictly within 1..${work.length - 1}`);
	const bounds = [0, ...starts, work.length];
	const groups = bounds.slice(0, -1).map((b, i) => work.slice(b, bounds[i + 1]));

	// Last block (by index) that reads each value; graph outputs count as read after the last block.
	const lastReader = new Map<string, number>();
	groups.forEach((group, b) => {
		for (const i of group) for (const name of readsOf(graph.nodes[i])) lastReader.set(name, b);
	});
	for (const out of graph.outputs) lastReader.set(out.name, groups.length);

	// The model's own inputs and outputs keep their declared shapes; a cut value is declared by dtype alone,
	// since a shape inferred wrongly (an If branch, a symbolic dim) would make the runtime reject the block.
	const declared = new Map([...graph.inputs, ...graph.outputs].map((t) => [t.name, t]));
	const typeOf = (name: string): TensorInfo => {
		const own = declared.get(name);
		if (own) return own;
		const info = values[name] ?? graph.valueInfo[name];
		if (!info) throw new Error(`splitIntoBlocks: no type known for value '${name}' crossing a cut; pass shape inference's values`);
		return { name, dtype: info.dtype, shape: null };
	};

	return groups.map((group, b) => {
		const produced = new Set<string>();
		const inputs: string[] = [];
		const seen = new Set<string>();
		const initializers: Record<string, Initializer> = {};
		const usedConstants = new Set<Node>();
		for (const i of group) {
			const node = graph.nodes[i];
			for (const name of readsOf(node)) {
				if (produced.has(name) || seen.has(name)) continue;
				seen.add(name);
				if (graph.initializers[name]) initializers[name] = graph.initializers[name];
				else if (constants.has(name)) usedConstants.add(constants.get(name) as Node);
				else inputs.push(name);
			}
			for (const out of node.outputs) if (out) produced.add(out);
		}
		const outputs = [...produced].filter((name) => (lastReader.get(name) ?? -1) > b);
		if (b === groups.length - 1) {
			// Graph outputs no node makes (a weight or an input passed straight through) leave from the last block.
			for (const out of graph.outputs) {
				if (produced.has(out.name) || outputs.includes(out.name)) continue;
				if (graph.initializers[out.name]) initializers[out.name] = graph.initializers[out.name];
				else if (constants.has(out.name)) usedConstants.add(constants.get(out.name) as Node);
				else if (!inputs.includes(out.name)) inputs.push(out.name);
				outputs.push(out.name);
			}
		}
		const constantNodes = graph.nodes.filter((n) => usedConstants.has(n));
		const blockGraph: Graph = {
			name: `${graph.name || 'model'}/block${b}`,
			nodes: [...constantNodes, ...group.map((i) => graph.nodes[i])],
			inputs: inputs.map(typeOf),
			outputs: outputs.map(typeOf),
			initializers,
			valueInfo: {}
		};
		const weightBytes =
			Object.values(initializers).reduce((s, t) => s + t.data.byteLength, 0) + constantNodes.reduce((s, n) => s + constantBytes(n), 0);
		return { model: { ...model, graph: blockGraph }, inputs, outputs, nodes: group, weightBytes };
	});
}

/** Cut points that split the weight (or, with no weights, the node count) into `count` near-equal parts. */
function balancedCuts(graph: Graph, work: number[], constants: Map<string, Node>, count: number): number[] {
	const n = Math.max(1, Math.min(Math.floor(count), work.length));
	const weightOf = (i: number): number =>
		readsOf(graph.nodes[i]).reduce((s, name) => {
			const init = graph.initializers[name];
			const constant = constants.get(name);
			return s + (init ? init.data.byteLength : constant ? constantBytes(constant) : 0);
		}, 0);
	const weights = work.map(weightOf);
	const total = weights.reduce((a, b) => a + b, 0);
	const cost = total > 0 ? weights : weights.map(() => 1);
	const sum = total > 0 ? total : work.length;
	const cuts: number[] = [];
	let acc = 0;
	for (let k = 0; k < work.length && cuts.length < n - 1; k++) {
		acc += cost[k];
		const target = (sum * (cuts.length + 1)) / n;
		// Cut after node k once its share is reached, leaving at least one node for each remaining block.
		const remaining = n - 1 - cuts.length;
		if ((acc >= target || work.length - (k + 1) <= remaining) && k + 1 < work.length) cuts.push(k + 1);
	}
	return cuts;
}

/** Runs blocks in order with `run` (an engine), feeding each from the values produced so far. */
export async function runBlocks<T>(
	blocks: Block[],
	feeds: Record<string, T>,
	run: (model: Model, feeds: Record<string, T>) => Promise<Record<string, T>>
): Promise<Record<string, T>> {
	const env: Record<string, T> = { ...feeds };
	for (const [b, block] of blocks.entries()) {
		const blockFeeds: Record<string, T> = {};
		for (const name of block.inputs) {
			if (!(name in env)) throw new Error(`block ${b} needs value '${name}', which no earlier block produced`);
			blockFeeds[name] = env[name];
		}
		Object.assign(env, await run(block.model, blockFeeds));
	}
	return env;
}
