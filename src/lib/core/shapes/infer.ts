import type { Dim, DType, Graph, Model, Node, TensorInfo } from '../ir/types';
import { opInference } from './registry';
import type { BranchTaken, KnownValue, OpContext, OutputInfo, ShapeInference, UnsupportedNode } from './types';
import { ShapeError } from './types';
import { FOLD_LIMIT, initializerValues } from './util';

/** Extra facts for inference beyond symbolic dims. */
export interface InferOptions {
	/**
	 * Values of (small) graph inputs, folded like constants: e.g. Silero VAD's `sr` so its If nodes
	 * take one branch, or a conformance test's Reshape target given as an input.
	 */
	inputValues?: Record<string, ArrayLike<number | bigint>>;
	/** Shapes that replace a graph input's declared shape (for inputs declared with unnamed dims). */
	inputShapes?: Record<string, Dim[]>;
}

/** Values visible while inferring one graph; subgraphs see their parent's through `parent`. */
class Scope {
	readonly infos = new Map<string, TensorInfo>();
	readonly known = new Map<string, KnownValue>();
	constructor(readonly parent?: Scope) {}
	info(name: string): TensorInfo | undefined {
		return this.infos.get(name) ?? this.parent?.info(name);
	}
	value(name: string): KnownValue | undefined {
		return this.known.get(name) ?? this.parent?.value(name);
	}
}

class Inference {
	readonly unsupported: UnsupportedNode[] = [];
	/** Values inferred inside subgraphs, kept for the summary's MACs and lifetimes. */
	readonly inner = new Map<string, TensorInfo>();
	readonly innerKnown = new Map<string, KnownValue>();
	readonly taken: Record<string, BranchTaken> = {};
	constructor(readonly dims: Record<string, number>, readonly opset: number) {}

	resolve(shape: Dim[] | null): Dim[] | null {
		return shape && shape.map((d) => (typeof d === 'string' && Object.hasOwn(this.dims, d) ? this.dims[d] : d));
	}

	run(graph: Graph, scope: Scope): void {
		for (const init of Object.values(graph.initializers)) {
			scope.infos.set(init.name, { name: init.name, dtype: init.dtype, shape: [...init.dims] });
			const k = initializerValues(init);
			if (k) scope.known.set(init.name, k);
		}
		for (const node of graph.nodes) this.node(node, scope, graph);
	}

	node(node: Node, scope: Scope, graph: Graph): void {
		const infer = opInference(node.opType, node.domain);
		let outputs: OutputInfo[] = [];
		try {
			if (!infer) throw new ShapeError(`no shape inference for ${node.domain ? node.domain + '.' : ''}${node.opType}`);
			outputs = infer(this.context(node, scope));
			outputs.forEach((o, i) => checkShape(o?.shape ?? null, node.outputs[i] ?? `output ${i}`, node));
		} catch (e) {
			if (!(e instanceof Error)) throw e;
			this.unsupported.push({ node: node.name, opType: node.opType, message: e.message });
			outputs = [];
		}
		node.outputs.forEach((name, i) => {
			if (!name) return;
			const o = outputs[i];
			// An output we could not infer falls back to the type the file declares, if any.
			const declared = graph.valueInfo[name];
			const info: TensorInfo = o
				? { name, dtype: o.dtype, shape: this.resolve(o.shape) }
				: { name, dtype: declared?.dtype ?? 'undefined', shape: this.resolve(declared?.shape ?? null) };
			scope.infos.set(name, info);
			if (o?.value) scope.known.set(name, o.value);
		});
	}

	subgraph(node: Node, graph: Graph, scope: Scope, taken?: BranchTaken): OutputInfo[] {
		const inner = new Scope(scope);
		this.run(graph, inner);
		for (const [k, v] of inner.infos) this.inner.set(k, v);
		for (const [k, v] of inner.known) this.innerKnown.set(k, v);
		if (taken) this.taken[node.outputs[0]] = taken;
		return graph.outputs.map((o) => {
			const info = inner.info(o.name);
			if (!info || info.dtype === 'undefined') throw new ShapeError(`subgraph output ${o.name} of ${node.name} could not be inferred`);
			return { dtype: info.dtype, shape: info.shape, value: inner.value(o.name) };
		});
	}

	context(node: Node, scope: Scope): OpContext {
		const input = (i: number): TensorInfo | undefined => {
			const name = node.inputs[i];
			if (!name) return undefined;
			const info = scope.info(name);
			if (!info) throw new ShapeError(`input ${name} of ${node.name || node.opType} is not defined`);
			return info;
		};
		const must = (i: number): TensorInfo => {
			const info = input(i);
			if (!info) throw new ShapeError(`${node.name || node.opType} needs input ${i}`);
			return info;
		};
		return {
			node,
			opset: this.opset,
			input,
			has: (i) => Boolean(node.inputs[i]),
			shape: (i) => must(i).shape,
			dtype: (i) => must(i).dtype,
			known: (i) => (node.inputs[i] ? scope.value(node.inputs[i]) : undefined),
			fresh: (out, axis) => `${node.outputs[out] || node.name}:${axis}`,
			subgraph: (graph, taken) => this.subgraph(node, graph, scope, taken),
			trySubgraph: (graph) => {
				const reported = this.unsupported.length;
				try {
					const out = this.subgraph(node, graph, scope);
					if (this.unsupported.length === reported) return out;
				} catch (e) {
					if (!(e instanceof ShapeError)) throw e;
				}
				this.unsupported.length = reported;
				return undefined;
			}
		};
	}
}

/**
 * Refuses an inferred shape no tensor can have: a dim that is negative, fractional or not finite (a
 * zero stride, pads larger than the input, an absurd kernel in a hostile file), or more elements
 * than 2^53, past which byte and MAC counts stop being exact. The node is then reported unsupported.
 */
function checkShape(shape: Dim[] | null, output: string, node: Node): void {
	if (!shape) return;
	let elements = 1;
	for (const d of shape) {
		if (typeof d !== 'number') continue;
		if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError(`${node.name || node.opType} gives ${output} the dim ${d} (shape [${shape.join(', ')}]); check its attributes and inputs`);
		elements *= d;
	}
	if (elements > Number.MAX_SAFE_INTEGER) throw new ShapeError(`${node.name || node.opType} gives ${output} ${elements.toExponential(2)} elements (shape [${shape.join(', ')}]), more than any device holds`);
}

function inputValue(info: TensorInfo, raw: ArrayLike<number | bigint>): KnownValue | undefined {
	if (raw.length > FOLD_LIMIT) return undefined;
	const values = Array.from(raw, (v) => Number(v));
	const shape = info.shape;
	const dims = shape && shape.every((d) => typeof d === 'number') ? (shape as number[]) : values.length === 1 ? [] : [values.length];
	return { dtype: info.dtype as DType, dims, values };
}

/** The default-domain opset a model imports (ONNX files always name it; 'ai.onnx' is the same). */
export function defaultOpset(model: Model): number {
	return model.opsetImports.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 7;
}

/**
 * Infers the dtype and shape of every value in the model's graph, in node order. Symbolic dims
 * named in `dims` are replaced by their values; others stay symbolic (new unknown sizes get names
 * like `output:2`). Small integer tensors are folded so Reshape targets, Slice/Pad/Resize
 * parameters and If conditions resolve. A node that cannot be inferred is listed in `unsupported`
 * and its outputs get the declared type or an unknown shape; the rest of the graph still runs.
 */
export function inferShapes(model: Model, dims: Record<string, number> = {}, options: InferOptions = {}): ShapeInference {
	const graph = model.graph;
	const inference = new Inference(dims, defaultOpset(model));
	const scope = new Scope();
	for (const input of graph.inputs) {
		if (graph.initializers[input.name]) continue;
		const shape = options.inputShapes?.[input.name] ?? input.shape;
		const info: TensorInfo = { name: input.name, dtype: input.dtype, shape: inference.resolve(shape) };
		scope.infos.set(input.name, info);
		const raw = options.inputValues?.[input.name];
		const k = raw && inputValue(info, raw);
		if (k) scope.known.set(input.name, k);
	}
	inference.run(graph, scope);
	return {
		values: { ...Object.fromEntries(inference.inner), ...Object.fromEntries(scope.infos) },
		known: { ...Object.fromEntries(inference.innerKnown), ...Object.fromEntries(scope.known) },
		unsupported: inference.unsupported,
		takenBranches: inference.taken,
		opset: inference.opset
	};
}
