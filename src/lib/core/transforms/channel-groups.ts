/**
 * Channel groups for structured pruning: starting from one Conv's output, every value that shares
 * its channel indexing (NCHW axis 1) and every node that must be rewritten when channels are
 * removed. The walk goes forward through consumers and backward through producers, so a binary op
 * of two activations (MobileNetV3's x·HardSigmoid(x+3), a residual Add, an SE Mul) pulls the other
 * operand's producer Conv into the same group and both lose the same channels. Anything whose
 * channel semantics the walk does not know (Concat, Reshape, Flatten, MatMul, Gemm, Resize, a graph
 * input or output, a grouped Conv that is not depthwise) rejects the whole group, with a reason.
 */
import { consumers, elementCount, producers } from '../ir/graph';
import type { Graph, Node } from '../ir/types';
import { intAttr } from './util';

/** Ops that keep channel i of input 0 in channel i of output 0 (extra inputs are scalars/attributes). */
const PASS_THROUGH = new Set([
	'Relu', 'Clip', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Identity', 'Elu', 'Selu',
	'Softplus', 'Neg', 'Abs', 'Exp', 'Sqrt', 'Cast', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool'
]);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Max', 'Min', 'PRelu']);

/** How one node is rewritten when its group loses channels. */
export type ChannelEdit =
	| { kind: 'producer'; node: Node }
	| { kind: 'consumer'; node: Node }
	| { kind: 'depthwise'; node: Node }
	| { kind: 'batchnorm'; node: Node }
	| { kind: 'constant'; node: Node; input: number; axis: number }
	| { kind: 'pass'; node: Node };

export interface ChannelGroup {
	channels: number;
	/** Rank of the activations (the Conv weight's rank). */
	rank: number;
	values: Set<string>;
	edits: ChannelEdit[];
}

/** A group, or why the Conv's output channels cannot be removed. */
export type GroupResult = { ok: true; group: ChannelGroup } | { ok: false; reason: string };

const label = (node: Node) => `${node.opType} '${node.name}'`;

/** Collects the channel group of `start` (a Conv) in `graph`. */
export function channelGroup(graph: Graph, start: Node): GroupResult {
	const weight = graph.initializers[start.inputs[1] ?? ''];
	if (!weight || weight.dims.length < 3) return { ok: false, reason: 'weight is not a Conv filter initializer' };
	if (start.inputs[2] && !graph.initializers[start.inputs[2]]) return { ok: false, reason: `${label(start)} has a computed bias` };
	const channels = weight.dims[0];
	const rank = weight.dims.length;
	const readers = consumers(graph);
	const producer = producers(graph);
	const outputs = new Set(graph.outputs.map((o) => o.name));
	const values = new Set<string>();
	const handled = new Set<Node>();
	const edits: ChannelEdit[] = [];
	const queue: string[] = [];
	const add = (v: string) => { if (!values.has(v)) { values.add(v); queue.push(v); } };
	const init = (name: string | undefined) => (name ? graph.initializers[name] : undefined);

	/** Adds the node's channel-carrying values and its edit; `via` is the value it was reached by. */
	const visit = (node: Node, via: string): string | null => {
		if (handled.has(node)) return null;
		handled.add(node);
		const op = node.domain ? `${node.domain}.${node.opType}` : node.opType;
		if (op === 'Conv') {
			const w = init(node.inputs[1]);
			if (!w || w.dims.length !== rank) return `${label(node)} has no filter initializer of rank ${rank}`;
			const group = intAttr(node, 'group', 1);
			if (group === 1 && via === node.outputs[0]) {
				if (w.dims[0] !== channels) return `${label(node)} has ${w.dims[0]} output channels, not ${channels}`;
				if (node.inputs[2] && !init(node.inputs[2])) return `${label(node)} has a computed bias`;
				edits.push({ kind: 'producer', node });
				return null;
			}
			if (group === 1 && via === node.inputs[0]) {
				if (w.dims[1] !== channels) return `${label(node)} reads ${w.dims[1]} input channels, not ${channels}`;
				edits.push({ kind: 'consumer', node });
				return null;
			}
			if (group === channels && w.dims[0] === channels && w.dims[1] === 1) {
				if (node.inputs[2] && !init(node.inputs[2])) return `${label(node)} has a computed bias`;
				edits.push({ kind: 'depthwise', node });
				add(node.inputs[0]);
				add(node.outputs[0]);
				return null;
			}
			return `${label(node)} is a grouped Conv (group ${group}) that is not depthwise over ${channels} channels`;
		}
		if (node.outputs.filter(Boolean).length !== 1) return `${label(node)} has more than one output`;
		if (PASS_THROUGH.has(op)) {
			if (via !== node.inputs[0] && via !== node.outputs[0]) return `${label(node)} reads the channels as a parameter`;
			edits.push({ kind: 'pass', node });
			add(node.inputs[0]);
			add(node.outputs[0]);
			return null;
		}
		if (op === 'BatchNormalization') {
			if (via !== node.inputs[0] && via !== node.outputs[0]) return `${label(node)} reads the channels as a parameter`;
			const params = node.inputs.slice(1, 5).map(init);
			if (params.some((p) => !p || elementCount(p.dims) !== channels)) return `${label(node)} has parameters that are not ${channels}-channel initializers`;
			edits.push({ kind: 'batchnorm', node });
			add(node.inputs[0]);
			add(node.outputs[0]);
			return null;
		}
		if (BINARY.has(op) && node.inputs.length === 2) {
			for (let i = 0; i < 2; i++) {
				const k = init(node.inputs[i]);
				if (!k) { add(node.inputs[i]); continue; }
				// Right-aligned broadcasting: the activation's channel axis 1 lands on k's axis r − (rank − 1).
				const axis = k.dims.length - (rank - 1);
				if (axis < 0 || k.dims[axis] === 1) continue;
				if (k.dims[axis] !== channels) return `${label(node)} has a constant '${k.name}' that does not broadcast per channel`;
				edits.push({ kind: 'constant', node, input: i, axis });
			}
			if (node.inputs.every((n) => init(n))) return `${label(node)} has only constant inputs`;
			edits.push({ kind: 'pass', node });
			add(node.outputs[0]);
			return null;
		}
		return `${label(node)} (${op}) does not keep channels in place`;
	};

	add(start.outputs[0]);
	handled.add(start);
	edits.push({ kind: 'producer', node: start });
	while (queue.length) {
		const v = queue.shift()!;
		if (outputs.has(v)) return { ok: false, reason: `'${v}' is a graph output` };
		if (graph.initializers[v]) return { ok: false, reason: `'${v}' is an initializer` };
		const p = producer.get(v);
		if (p === undefined) return { ok: false, reason: `'${v}' is a graph input` };
		const problem = visit(graph.nodes[p], v);
		if (problem) return { ok: false, reason: problem };
		for (const i of readers.get(v) ?? []) {
			const why = visit(graph.nodes[i], v);
			if (why) return { ok: false, reason: why };
		}
	}
	return { ok: true, group: { channels, rank, values, edits } };
}
