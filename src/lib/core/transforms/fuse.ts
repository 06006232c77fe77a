/**
 * The fusion pass: BatchNormalization folding, Conv bias Add folding, MatMul+Add → Gemm, Identity
 * and Reshape-chain removal, then two reports other modules read: Conv/Gemm + activation pairs a
 * runtime can fuse, and elementwise ops whose output may reuse an input's buffer (memory planners).
 */
import { consumers, elementCount, topoSort } from '../ir/graph';
import type { Graph, Model } from '../ir/types';
import { inferShapes } from '../shapes/infer';
import { fuseConvActivations } from './fuse-activation';
import { foldBatchNorm } from './fuse-batchnorm';
import { foldConvAdd, matMulAddToGemm, removeNoOps, type ShapeTable } from './fuse-simple';
import type { TransformReport, TransformResult } from './types';
import { finishReport, pruneUnusedInitializers } from './util';

export const FUSABLE_ACTIVATIONS = new Set(['Relu', 'Clip', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Sigmoid', 'Tanh']);

const UNARY = new Set(['Relu', 'Sigmoid', 'Tanh', 'Clip', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Erf', 'Softplus', 'Elu', 'Selu', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sin', 'Cos', 'PRelu']);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min']);

/** A producer + activation pair a runtime can execute as one kernel (ORT does so at 'extended' level). */
export interface ActivationPair {
	node: string;
	opType: string;
	activation: string;
	activationOpType: string;
}

/** An elementwise node whose output may be written into the buffer of `input`, which dies at this node. */
export interface InPlaceCandidate {
	node: string;
	opType: string;
	input: string;
	output: string;
}

export interface FuseOptions {
	/** Known value types (shape inference's `values`), used for MatMul rank and in-place size checks. */
	shapes?: ShapeTable;
	/** Values of symbolic dims for the shape inference run when `shapes` is not given. */
	dims?: Record<string, number>;
	/**
	 * Rewrite Conv + Relu/Clip/HardSigmoid/HardSwish/LeakyRelu/Sigmoid/Tanh into onnxruntime's
	 * com.microsoft FusedConv (fuse-activation.ts). Off by default: only onnxruntime runs the result.
	 */
	fusedConv?: boolean;
}

export interface FuseReport extends TransformReport {
	activationPairs: ActivationPair[];
	inPlace: InPlaceCandidate[];
	batchNormBefore: number;
	batchNormAfter: number;
}

/** Conv/Gemm outputs read only by one activation. */
export function activationPairs(graph: Graph): ActivationPair[] {
	const readers = consumers(graph);
	const outputs = new Set(graph.outputs.map((o) => o.name));
	const pairs: ActivationPair[] = [];
	for (const node of graph.nodes) {
		if (node.opType !== 'Conv' && node.opType !== 'Gemm') continue;
		const r = readers.get(node.outputs[0]) ?? [];
		if (r.length !== 1 || outputs.has(node.outputs[0])) continue;
		const act = graph.nodes[r[0]];
		if (FUSABLE_ACTIVATIONS.has(act.opType)) pairs.push({ node: node.name, opType: node.opType, activation: act.name, activationOpType: act.opType });
	}
	return pairs;
}

function sameShape(shapes: ShapeTable | undefined, graph: Graph, a: string, b: string): boolean {
	const sa = shapes?.[a]?.shape ?? graph.valueInfo[a]?.shape;
	const sb = shapes?.[b]?.shape ?? graph.valueInfo[b]?.shape;
	return !!sa && !!sb && sa.length === sb.length && sa.every((d, i) => d === sb[i]);
}

/**
 * Elementwise nodes that may compute in place: the input is an intermediate (not a graph input,
 * output or weight), this node is its last reader in the graph's order, and the output has the
 * input's shape (always for unary ops; for binary ops when the shapes are known equal, or the other
 * operand is a one-element constant).
 */
export function inPlaceCandidates(graph: Graph, shapes?: ShapeTable): InPlaceCandidate[] {
	const readers = consumers(graph);
	const pinned = new Set([...graph.inputs.map((t) => t.name), ...graph.outputs.map((t) => t.name)]);
	const list: InPlaceCandidate[] = [];
	graph.nodes.forEach((node, index) => {
		const unary = UNARY.has(node.opType);
		if (!unary && !BINARY.has(node.opType)) return;
		for (const input of unary ? node.inputs.slice(0, 1) : node.inputs) {
			if (!input || pinned.has(input) || graph.initializers[input]) continue;
			const r = readers.get(input) ?? [];
			if (r[r.length - 1] !== index || node.inputs.filter((i) => i === input).length > 1) continue;
			if (!unary) {
				const other = node.inputs.find((i) => i !== input) ?? '';
				const constant = graph.initializers[other];
				const fits = (constant && elementCount(constant.dims) === 1) || sameShape(shapes, graph, input, node.outputs[0]);
				if (!fits) continue;
			}
			list.push({ node: node.name, opType: node.opType, input, output: node.outputs[0] });
			break;
		}
	});
	return list;
}

/** Shape inference's value table, or undefined when inference fails (fusion then skips what needs it). */
function shapesOf(model: Model, dims: Record<string, number> = {}): ShapeTable | undefined {
	try {
		return inferShapes(model, dims).values;
	} catch {
		return undefined;
	}
}

function countBatchNorm(graph: Graph): number {
	return graph.nodes.filter((n) => n.opType === 'BatchNormalization').length;
}

/** Runs every fusion in a fixed order. The outputs of the result equal the input's up to float rounding. */
export function fuse(model: Model, options: FuseOptions = {}): TransformResult<FuseReport> {
	const shapes = options.shapes ?? shapesOf(model, options.dims);
	const folded = foldBatchNorm(model);
	const out = folded.model;
	const graph = out.graph;
	const rows = [...folded.report.rows, ...foldConvAdd(graph)];
	const gemm = matMulAddToGemm(graph, shapes);
	rows.push(...gemm.rows, ...removeNoOps(graph));
	const fused = options.fusedConv ? fuseConvActivations(out) : { rows: [], skipped: [] };
	rows.push(...fused.rows);
	pruneUnusedInitializers(graph);
	const sorted = topoSort(out.graph);
	const result: Model = { ...out, graph: sorted };
	const report: FuseReport = {
		...finishReport({ ...folded.report, transform: 'fuse', rows, skipped: [...folded.report.skipped, ...gemm.skipped, ...fused.skipped] }, model, result),
		activationPairs: activationPairs(sorted),
		inPlace: inPlaceCandidates(sorted, shapes),
		batchNormBefore: countBatchNorm(model.graph),
		batchNormAfter: countBatchNorm(sorted)
	};
	return { model: result, report };
}
