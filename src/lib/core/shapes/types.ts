import type { Dim, DType, Graph, Node, TensorInfo } from '../ir/types';

/**
 * A value known at analysis time: a small tensor folded from initializers, Shape chains or
 * caller-given input values. `values` is row-major; an entry may be a symbolic dim name when it
 * came from the shape of a tensor whose dim is still symbolic (Shape → Gather → Concat keeps it).
 */
export interface KnownValue {
	dtype: DType;
	dims: number[];
	values: Dim[];
}

/** What an operator's inference gives for one output: its type and, when folded, its value. */
export interface OutputInfo {
	dtype: DType;
	shape: Dim[] | null;
	value?: KnownValue;
}

/** Read access an operator's inference has to its node's inputs and the surrounding graph. */
export interface OpContext {
	node: Node;
	/** The default-domain opset version in force (7–25). */
	opset: number;
	/** Type of input `i`, or undefined when the input is absent ('' or past the end). */
	input(i: number): TensorInfo | undefined;
	/** Shape of input `i` (null when unknown); throws when the input is absent. */
	shape(i: number): Dim[] | null;
	/** Element type of input `i`; throws when absent. */
	dtype(i: number): DType;
	/** Folded value of input `i`, when known. */
	known(i: number): KnownValue | undefined;
	/** True when input `i` is present. */
	has(i: number): boolean;
	/**
	 * Infers a subgraph (If branches) against the current scope; returns its output types and values.
	 * `taken` names the branch when the condition was folded, so the summary follows only that one.
	 */
	subgraph(graph: Graph, taken?: BranchTaken): OutputInfo[];
	/** Like `subgraph`, but a branch that cannot be inferred gives undefined and leaves no report. */
	trySubgraph(graph: Graph): OutputInfo[] | undefined;
	/** A fresh symbolic dim for output `out`, axis `axis`, where the size cannot be expressed. */
	fresh(out: number, axis: number): string;
}

/** The inference of one operator type. Throws ShapeError when it cannot infer the node. */
export type OpInfer = (ctx: OpContext) => OutputInfo[];

/** Raised by an operator's inference; the message names what was missing. */
export class ShapeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ShapeError';
	}
}

/** An operator whose outputs could not be inferred: named so the user sees which and why. */
export interface UnsupportedNode {
	node: string;
	opType: string;
	message: string;
}

/** The branch an If was resolved to, and why. */
export interface BranchTaken {
	branch: 'then_branch' | 'else_branch';
	reason: 'condition-folded' | 'other-branch-invalid';
}

/** The result of shape inference over a model. */
export interface ShapeInference {
	/**
	 * Every value in the graph (inputs, weights, node outputs), by name, plus the values inside the
	 * If branches that were inferred (a name in the top-level graph wins over a shadowing inner one).
	 */
	values: Record<string, TensorInfo>;
	/** Folded constant values (small integer tensors, shapes), by name. */
	known: Record<string, KnownValue>;
	/** Nodes whose outputs got an unknown shape; the rest of the graph still ran. */
	unsupported: UnsupportedNode[];
	/**
	 * For each If that inference resolved to one branch, keyed by its first output's name: the branch
	 * and why (its condition folded, or the other branch cannot run on these shapes).
	 */
	takenBranches: Record<string, BranchTaken>;
	/** The default-domain opset the inference applied. */
	opset: number;
}
