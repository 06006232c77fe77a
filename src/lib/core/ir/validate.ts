/**
 * Structural checks every imported graph goes through: each node input is defined before use, no
 * value has two producers, every node names an operator, every graph output exists, every declared
 * dim is a size or a symbol, and no value is named like a built-in property of JavaScript objects
 * ('toString', '__proto__').
 */
import { subgraphsOf } from './graph';
import type { Graph } from './types';

/** One problem found in a graph, with a message that names the node and value concerned. */
export interface ValidationIssue {
	kind: 'undefined-input' | 'duplicate-producer' | 'empty-op-type' | 'undefined-output' | 'reserved-name' | 'bad-shape';
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
 * Names the IR cannot hold: graphs keep values in plain-object records, where a value called
 * 'toString' or '__proto__' would be found on (or replace) Object.prototype instead of the record.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** The reserved value names a graph uses itself (not its subgraphs), each once. */
function reservedNames(graph: Graph): string[] {
	const names = [...graph.inputs.map((i) => i.name), ...graph.outputs.map((o) => o.name), ...Object.keys(graph.initializers)];
	for (const node of graph.nodes) names.push(...node.inputs, ...node.outputs);
	// Assigning an initializer named '__proto__' to a record replaces the record's prototype instead.
	const proto = Object.getPrototypeOf(graph.initializers);
	if (proto !== Object.prototype && proto !== null) names.push('__proto__');
	return [...new Set(names.filter((n) => RESERVED_NAMES.has(n)))];
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
	const declared = [...graph.inputs, ...graph.outputs, ...Object.values(graph.valueInfo), ...Object.values(graph.initializers).map((t) => ({ name: t.name, shape: t.dims }))];
	for (const { name, shape } of declared) {
		const bad = shape?.find((d) => typeof d !== 'string' && !(Number.isSafeInteger(d) && d >= 0));
		if (bad !== undefined) {
			issues.push({ kind: 'bad-shape', graphPath, value: name, message: `'${name}'${where} is declared with shape [${shape!.map(String).join(', ')}], whose dim ${String(bad)} is not a size.` });
		}
	}
	for (const name of reservedNames(graph)) {
		issues.push({ kind: 'reserved-name', graphPath, value: name, message: `A value${where} is named '${name}', a name Tightfit reserves (it is a built-in property of every JavaScript object); rename it in the file.` });
	}
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
