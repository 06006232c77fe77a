/**
 * TF.js graph models (a TensorFlow GraphDef in model.json, `format: 'graph-model'`) → IR graph with
 * ONNX (opset 13) ops. Every Const node's value is a weight in the manifest, found by node name.
 * Values keep TF's NHWC layout; convolutions and pools read an NCHW form made on demand (the
 * builder's lazy layout rule), and per-channel constants are laid out for whichever form is used.
 * The op mapping lives in graph-model-ops.ts; this file reads attributes, orders nodes and drives it.
 */
import type { Dim, Graph, TensorInfo } from '../../ir/types';
import { GraphBuilder, type Value } from './builder';
import { GraphOps } from './graph-model-ops';
import type { DecodedWeight } from './model-json';

/** A GraphDef attribute as tensorflowjs_converter writes it into JSON. */
export interface TfAttr {
	s?: string;
	i?: string | number;
	f?: number;
	b?: boolean;
	type?: string;
	shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
	list?: { s?: string[]; i?: (string | number)[]; f?: number[]; type?: string[] };
	tensor?: unknown;
}

export interface TfNode {
	name: string;
	op: string;
	input?: string[];
	attr?: Record<string, TfAttr>;
}

const decodeBase64 = (s: string): string => {
	try {
		return atob(s);
	} catch {
		return s;
	}
};

/** Typed readers over a node's attributes, naming the node when one is missing. */
export class Attrs {
	constructor(private node: TfNode) {}
	has(key: string): boolean {
		return this.node.attr?.[key] !== undefined;
	}
	string(key: string, fallback?: string): string {
		const a = this.node.attr?.[key];
		if (a?.s !== undefined) return decodeBase64(a.s);
		if (fallback !== undefined) return fallback;
		throw new Error(`node '${this.node.name}' (${this.node.op}) has no attribute '${key}'`);
	}
	strings(key: string): string[] {
		return (this.node.attr?.[key]?.list?.s ?? []).map(decodeBase64);
	}
	ints(key: string, fallback: number[] = []): number[] {
		const list = this.node.attr?.[key]?.list?.i;
		return list ? list.map(Number) : fallback;
	}
	int(key: string, fallback: number): number {
		const i = this.node.attr?.[key]?.i;
		return i === undefined ? fallback : Number(i);
	}
	float(key: string, fallback: number): number {
		return this.node.attr?.[key]?.f ?? fallback;
	}
	bool(key: string, fallback = false): boolean {
		return this.node.attr?.[key]?.b ?? fallback;
	}
}

/** A node input reference → the producing node's name (`x:0` → `x`; `^x` is a control edge). */
export function producerOf(ref: string): { node: string; control: boolean } {
	const control = ref.startsWith('^');
	const name = control ? ref.slice(1) : ref;
	return { node: name.replace(/:\d+$/, ''), control };
}

/** Nodes in an order where each comes after its producers (GraphDefs need not be sorted). */
export function topoOrder(nodes: TfNode[]): TfNode[] {
	const byName = new Map(nodes.map((n) => [n.name, n]));
	const state = new Map<string, 'visiting' | 'done'>();
	const out: TfNode[] = [];
	const visit = (root: TfNode) => {
		// Iterative DFS: real graphs are deep enough to overflow a recursive one.
		const stack: [TfNode, number][] = [[root, 0]];
		state.set(root.name, 'visiting');
		while (stack.length) {
			const top = stack[stack.length - 1];
			const inputs = top[0].input ?? [];
			if (top[1] < inputs.length) {
				const ref = producerOf(inputs[top[1]++]).node;
				const child = byName.get(ref);
				if (!child) throw new Error(`node '${top[0].name}' reads '${ref}', which the graph does not contain`);
				if (state.get(ref) === 'visiting') throw new Error(`node '${ref}' is part of a cycle (control flow is not supported)`);
				if (!state.has(ref)) {
					state.set(ref, 'visiting');
					stack.push([child, 0]);
				}
			} else {
				state.set(top[0].name, 'done');
				out.push(top[0]);
				stack.pop();
			}
		}
	};
	for (const n of nodes) if (!state.has(n.name)) visit(n);
	return out;
}

function placeholderShape(node: TfNode): Dim[] {
	const shape = node.attr?.shape?.shape;
	if (!shape || shape.unknownRank) throw new Error(`input '${node.name}' has no known rank`);
	return (shape.dim ?? []).map((d, k) => {
		const size = Number(d.size ?? -1);
		return size >= 0 ? size : k === 0 ? 'batch' : `${node.name}_d${k}`;
	});
}

/**
 * Converts a graph model's topology (`modelTopology.node`). Graph outputs are the nodes no other
 * node reads (as TF.js's own executor finds them), in file order.
 * @throws Error naming the node for an unsupported op, a missing weight or a missing input.
 */
export function graphModelGraph(topology: Record<string, unknown>, weights: Map<string, DecodedWeight>): Graph {
	const nodes = topology.node as TfNode[] | undefined;
	if (!Array.isArray(nodes) || nodes.length === 0) throw new Error('the graph model has no nodes');
	const b = new GraphBuilder();
	const ops = new GraphOps(b);
	const inputs: TensorInfo[] = [];
	for (const node of topoOrder(nodes)) {
		const args = (node.input ?? []).filter((r) => !producerOf(r).control).map((r) => {
			const v = ops.values.get(producerOf(r).node);
			if (!v) throw new Error(`node '${node.name}' reads '${r}', which produced no value`);
			return v;
		});
		if (node.op === 'Placeholder') {
			const shape = placeholderShape(node);
			const name = b.claim(node.name);
			const dtype = node.attr?.dtype?.type === 'DT_INT32' ? 'int32' : 'float32';
			inputs.push({ name, dtype, shape });
			ops.values.set(node.name, { nhwc: name, rank: shape.length });
		} else if (node.op === 'Const') {
			const w = weights.get(node.name);
			if (!w) throw new Error(`constant '${node.name}' is not in the weightsManifest`);
			ops.constant(node.name, w);
		} else {
			ops.values.set(node.name, ops.convert(node, new Attrs(node), args));
		}
	}
	const read = new Set(nodes.flatMap((n) => (n.input ?? []).map((r) => producerOf(r).node)));
	const leaves = nodes.filter((n) => !read.has(n.name) && n.op !== 'Const' && n.op !== 'Placeholder' && n.op !== 'NoOp');
	if (leaves.length === 0) throw new Error('the graph model has no output node');
	const outputs: TensorInfo[] = leaves.map((n) => {
		const v = ops.values.get(n.name) as Value;
		return { name: b.get(v, 'nhwc'), dtype: 'float32', shape: null };
	});
	// A graph output that is also a graph input or an initializer needs its own name in ONNX.
	for (const o of outputs) {
		if (inputs.some((i) => i.name === o.name) || b.initializers[o.name]) {
			const name = b.claim(`${o.name}/output`);
			b.emit('Identity', [o.name], [name]);
			o.name = name;
		}
	}
	return { name: 'graph-model', nodes: b.nodes, inputs, outputs, initializers: b.initializers, valueInfo: {} };
}
