/**
 * Raises a model's default-domain opset so quantization ops can be inserted (DequantizeLinear needs
 * 10, its `axis` 13). Nodes whose meaning changed between the versions are rewritten: Clip and
 * Slice/Squeeze/Unsqueeze/Split/Pad attributes become inputs, old Softmax's 2-D coercion is made
 * explicit. Ops this module cannot carry across are refused with an error naming them.
 */
import { fromFloat32, topoSort } from '../ir/graph';
import type { Graph, Model, Node } from '../ir/types';
import { inferShapes } from '../shapes/infer';
import { defaultOpset, editableCopy, floatAttr, intAttr, intsAttr, nameAllocator } from './util';

/** Ops whose old forms this module does not translate, with the first version that matches the new one. */
const REFUSED: Record<string, number> = { Upsample: 99, Scatter: 99, Resize: 11, TopK: 10, Dropout: 12 };

function int64(graph: Graph, fresh: (b: string) => string, base: string, values: number[]): string {
	const name = fresh(base);
	graph.initializers[name] = fromFloat32(values, 'int64', [values.length], name, 'initializer');
	return name;
}

function withoutAttrs(node: Node, ...names: string[]): Node['attrs'] {
	return Object.fromEntries(Object.entries(node.attrs).filter(([k]) => !names.includes(k)));
}

/**
 * Returns the model at opset `target` or above (the input itself when it is there already).
 * @throws Error naming a node whose op cannot be carried to the new opset.
 */
export function upgradeOpset(model: Model, target: number): Model {
	const from = defaultOpset(model);
	if (from >= target) return model;
	for (const node of model.graph.nodes) {
		if (node.domain && node.domain !== 'ai.onnx') continue;
		const fixed = REFUSED[node.opType];
		if (fixed !== undefined && from < fixed) throw new Error(`Cannot raise opset ${from} → ${target}: node '${node.name}' (${node.opType}) changed meaning and is not translated.`);
	}
	const out = editableCopy(model);
	const graph = out.graph;
	const fresh = nameAllocator(graph);
	let ranks: Record<string, number | undefined> | undefined;
	const rankOf = (name: string): number | undefined => {
		if (!ranks) {
			try {
				const values = inferShapes(model).values;
				ranks = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.shape?.length]));
			} catch {
				ranks = {};
			}
		}
		return ranks[name];
	};
	const added: Node[] = [];
	for (const node of graph.nodes) {
		if (node.domain && node.domain !== 'ai.onnx') continue;
		const base = node.name || node.outputs[0];
		if (node.opType === 'Clip' && from < 11 && target >= 11 && ('min' in node.attrs || 'max' in node.attrs)) {
			const lo = 'min' in node.attrs ? fresh(`${base}_min`) : '';
			const hi = 'max' in node.attrs ? fresh(`${base}_max`) : '';
			if (lo) graph.initializers[lo] = fromFloat32([floatAttr(node, 'min', 0)], 'float32', [], lo, 'initializer');
			if (hi) graph.initializers[hi] = fromFloat32([floatAttr(node, 'max', 0)], 'float32', [], hi, 'initializer');
			node.inputs = [node.inputs[0], lo, hi];
			node.attrs = withoutAttrs(node, 'min', 'max');
		} else if (node.opType === 'Slice' && from < 10) {
			const starts = intsAttr(node, 'starts') ?? [];
			const ends = intsAttr(node, 'ends') ?? [];
			const axes = intsAttr(node, 'axes');
			node.inputs = [node.inputs[0], int64(graph, fresh, `${base}_starts`, starts), int64(graph, fresh, `${base}_ends`, ends), ...(axes ? [int64(graph, fresh, `${base}_axes`, axes)] : [])];
			node.attrs = withoutAttrs(node, 'starts', 'ends', 'axes');
		} else if ((node.opType === 'Squeeze' || node.opType === 'Unsqueeze') && from < 13 && target >= 13) {
			const axes = intsAttr(node, 'axes');
			if (axes) node.inputs = [node.inputs[0], int64(graph, fresh, `${base}_axes`, axes)];
			node.attrs = withoutAttrs(node, 'axes');
		} else if (node.opType === 'Split' && from < 13 && target >= 13) {
			const split = intsAttr(node, 'split');
			if (split) node.inputs = [node.inputs[0], int64(graph, fresh, `${base}_split`, split)];
			node.attrs = withoutAttrs(node, 'split');
		} else if (node.opType === 'Pad' && from < 11 && target >= 11) {
			const pads = intsAttr(node, 'pads') ?? [];
			const value = fresh(`${base}_value`);
			graph.initializers[value] = fromFloat32([floatAttr(node, 'value', 0)], 'float32', [], value, 'initializer');
			node.inputs = [node.inputs[0], int64(graph, fresh, `${base}_pads`, pads), value];
			node.attrs = withoutAttrs(node, 'pads', 'value');
		} else if (['Softmax', 'LogSoftmax', 'Hardmax'].includes(node.opType) && from < 13 && target >= 13) {
			const rank = rankOf(node.inputs[0]);
			const axis = intAttr(node, 'axis', 1);
			if (rank !== undefined && (axis === -1 || axis === rank - 1)) {
				node.attrs = { ...node.attrs, axis: { type: 'int', value: -1 } };
				continue;
			}
			// Old Softmax works on x flattened to 2-D at `axis`; spell that out so the meaning stays.
			const shape = fresh(`${base}_shape`);
			const flat = fresh(`${base}_flat`);
			const soft = fresh(`${base}_2d`);
			added.push(
				{ name: fresh(`${base}_Shape`), opType: 'Shape', domain: '', inputs: [node.inputs[0]], outputs: [shape], attrs: {} },
				{ name: fresh(`${base}_Flatten`), opType: 'Flatten', domain: '', inputs: [node.inputs[0]], outputs: [flat], attrs: { axis: { type: 'int', value: axis } } },
				{ name: fresh(`${base}_Reshape`), opType: 'Reshape', domain: '', inputs: [soft, shape], outputs: [node.outputs[0]], attrs: {} }
			);
			node.inputs = [flat];
			node.outputs = [soft];
			node.attrs = { ...node.attrs, axis: { type: 'int', value: -1 } };
		}
	}
	graph.nodes.push(...added);
	out.opsetImports = out.opsetImports.map((o) => (o.domain === '' || o.domain === 'ai.onnx' ? { ...o, version: target } : o));
	if (out.irVersion < 7) out.irVersion = 7;
	return { ...out, graph: added.length ? topoSort(graph) : graph };
}
