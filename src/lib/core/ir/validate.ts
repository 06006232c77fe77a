/**
 * Structural checks every imported graph goes through: each node input is defined before use, no
 * value has two producers, every node names an operator, every graph output exists.
 */
import { subgraphsOf } from './graph';
import type { Graph } from './types';

/** One problem found in a graph, with a message that names the node and value concerned. */
export interface ValidationIssue {
	kind: 'undefined-input' | 'duplicate-producer' | 'empty-op-type' | 'undefined-output';
	/** Path of graph names from the main graph down to the subgraph holding the problem. */
	graphPath: string[];
	/** Index of the node concerned in its graph, when there is one. */
	nodeIndex?: number;
	/** The value concerned, when there is one. */
	value?: string;
	message: string;
}

function describeNode(graph: Graph, index: number): string {
	const node = graph.nodes[index];
	return `node '${node.name || `#${index}`}' (${node.opType || 'no op type'})`;
}

/**
 * Checks a graph (and its subgraphs, which may read values of every enclosing scope). Nodes must be
 * in topological order: an input produced only by a later node is reported as undefined.
 * @param outerScope names visible from enclosing graphs (empty for a main graph).
 * @returns the problems found, in graph order; an empty list means the graph is well formed.
 */
export function validateGraph(graph: Graph, outerScope: ReadonlySet<string> = new Set(), graphPath: string[] = [graph.name]): ValidationIssue[] {
	const issues: ValidationIssue[] = [];
	const defined = new Set<string>([...graph.inputs.map((i) => i.name), ...Object.keys(graph.initializers)]);
	const producedBy = new Map<string, number>();
	const where = graphPath.length > 1 ? ` in subgraph '${graphPath.join(' > ')}'` : '';
	graph.nodes.forEach((node, index) => {
		if (!node.opType) {
			issues.push({ kind: 'empty-op-type', graphPath, nodeIndex: index, message: `${describeNode(graph, index)}${where} has an empty op type.` });
		}
		for (const input of node.inputs) {
			if (input && !defined.has(input) && !outerScope.has(input)) {
				issues.push({
					kind: 'undefined-input', graphPath, nodeIndex: index, value: input,
					message: `${describeNode(graph, index)}${where} reads '${input}', which no graph input, initializer or earlier node defines.`
				});
			}
		}
		const subgraphs = subgraphsOf(node);
		if (subgraphs.length) {
			const visible = new Set([...outerScope, ...defined]);
			for (const sub of subgraphs) issues.push(...validateGraph(sub, visible, [...graphPath, sub.name]));
		}
		for (const output of node.outputs) {
			if (!output) continue;
			const earlier = producedBy.get(output);
			if (earlier !== undefined || graph.inputs.some((i) => i.name === output) || Object.hasOwn(graph.initializers, output)) {
				issues.push({
					kind: 'duplicate-producer', graphPath, nodeIndex: index, value: output,
					message: `${describeNode(graph, index)}${where} writes '${output}', which ${earlier !== undefined ? describeNode(graph, earlier) : 'a graph input or initializer'} already defines.`
				});
			}
			producedBy.set(output, index);
			defined.add(output);
		}
	});
	for (const out of graph.outputs) {
		if (!defined.has(out.name) && !outerScope.has(out.name)) {
			issues.push({ kind: 'undefined-output', graphPath, value: out.name, message: `Graph output '${out.name}'${where} is not produced by any node, input or initializer.` });
		}
	}
	return issues;
}
