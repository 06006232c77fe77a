/**
 * The sequence of nodes that actually runs: If nodes are replaced by the nodes of the branch they
 * take (the folded one, or when the condition is not known, the heavier one by MACs), so MACs,
 * per-layer rows and lifetimes see the work inside branches (Silero VAD keeps its whole network in
 * an If).
 */
import type { Graph, Initializer, Node, TensorInfo } from '../ir/types';
import { nodeMacs } from '../shapes/macs';
import type { ShapeInference } from '../shapes/types';

/** Which branch of an If the analysis followed, and why. */
export interface BranchChoice {
	node: string;
	branch: 'then_branch' | 'else_branch';
	/** Folded condition; the other branch cannot run on these shapes; or, condition unknown, the one with more MACs. */
	reason: 'condition-folded' | 'other-branch-invalid' | 'heavier-branch';
}

export interface Execution {
	/** A flat graph: nodes in execution order, the taken branches' initializers merged in. */
	graph: Graph;
	branches: BranchChoice[];
}

function branchGraph(node: Node, which: 'then_branch' | 'else_branch'): Graph | undefined {
	const a = node.attrs[which];
	return a?.type === 'graph' ? a.value : undefined;
}

function graphMacs(graph: Graph, values: Record<string, TensorInfo>): number {
	return graph.nodes.reduce((sum, n) => sum + nodeMacs(n, values), 0);
}

/**
 * Flattens `graph` for analysis. An inlined If becomes its branch's nodes followed by a stand-in
 * If node (no attributes) that reads the condition and the branch outputs and writes the If's
 * outputs, so lifetimes stay right. Loop/Scan bodies are not inlined.
 */
export function flattenExecution(graph: Graph, inference: ShapeInference): Execution {
	const branches: BranchChoice[] = [];
	const initializers: Record<string, Initializer> = { ...graph.initializers };
	const nodes: Node[] = [];
	const visit = (g: Graph) => {
		for (const node of g.nodes) {
			const then = node.opType === 'If' ? branchGraph(node, 'then_branch') : undefined;
			const otherwise = node.opType === 'If' ? branchGraph(node, 'else_branch') : undefined;
			if (!then || !otherwise) {
				nodes.push(node);
				continue;
			}
			const resolved = inference.takenBranches[node.outputs[0]];
			const which = resolved?.branch ?? (graphMacs(otherwise, inference.values) > graphMacs(then, inference.values) ? 'else_branch' : 'then_branch');
			branches.push({ node: node.name, branch: which, reason: resolved?.reason ?? 'heavier-branch' });
			const sub = which === 'then_branch' ? then : otherwise;
			Object.assign(initializers, sub.initializers);
			visit(sub);
			nodes.push({ ...node, inputs: [node.inputs[0], ...sub.outputs.map((o) => o.name)], attrs: {} });
		}
	};
	visit(graph);
	return { graph: { ...graph, nodes, initializers }, branches };
}

/** Every graph in the file: the main one and, recursively, every subgraph of every node. */
export function allGraphs(graph: Graph): Graph[] {
	const out = [graph];
	for (const node of graph.nodes) {
		for (const a of Object.values(node.attrs)) {
			if (a.type === 'graph') out.push(...allGraphs(a.value));
			else if (a.type === 'graphs') for (const g of a.value) out.push(...allGraphs(g));
		}
	}
	return out;
}
