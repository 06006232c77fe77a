/**
 * Conv + activation → onnxruntime's contrib op `com.microsoft::FusedConv` (one kernel that applies
 * the activation as it writes the Conv's output; onnxruntime-web's wasm build runs it). Its
 * `activation` attribute names the op and `activation_params` carries the op's constants:
 * LeakyRelu [alpha], Clip [min, max], HardSigmoid [alpha, beta]; Relu, Sigmoid, Tanh, HardSwish
 * none (onnxruntime-web 1.30 refuses others, e.g. Elu: "GetFusedActivationAttr(info, activation_)
 * .IsOK() was false" at session creation). The result runs only in onnxruntime (other runtimes
 * do not know the com.microsoft domain), so this rewrite is opt-in (`fuse(model, { fusedConv: true })`).
 */
import { consumers, readFloat32 } from '../ir/graph';
import type { Graph, Model, Node } from '../ir/types';
import type { LayerRow, Skipped } from './types';
import { floatAttr } from './util';

export const CONTRIB_DOMAIN = 'com.microsoft';

/** Activations onnxruntime-web's FusedConv kernel accepts (each checked against Conv + the op in fuse.test.ts). */
export const FUSED_CONV_ACTIVATIONS = new Set(['Relu', 'Sigmoid', 'Tanh', 'HardSwish', 'LeakyRelu', 'HardSigmoid', 'Clip']);

/** float32's largest finite value: FusedConv's stand-in for an absent Clip bound. */
const FLT_MAX = 3.4028234663852886e38;

/** The activation_params of an activation node, or a reason it cannot be fused. */
function activationParams(graph: Graph, act: Node): number[] | string {
	switch (act.opType) {
		case 'Relu': case 'Sigmoid': case 'Tanh': case 'HardSwish': return [];
		case 'LeakyRelu': return [floatAttr(act, 'alpha', 0.01)];
		case 'HardSigmoid': return [floatAttr(act, 'alpha', 0.2), floatAttr(act, 'beta', 0.5)];
		case 'Clip': {
			// Opset < 11 holds the bounds as attributes, later opsets as optional constant inputs.
			const bound = (index: number, attr: string, fallback: number): number | string => {
				const name = act.inputs[index];
				if (!name) return floatAttr(act, attr, fallback);
				const init = graph.initializers[name];
				if (!init) return `Clip ${attr} is computed at run time`;
				return readFloat32(init)[0];
			};
			const lo = bound(1, 'min', -FLT_MAX);
			const hi = bound(2, 'max', FLT_MAX);
			return typeof lo === 'string' ? lo : typeof hi === 'string' ? hi : [lo, hi];
		}
		default: return `${act.opType} is not a FusedConv activation`;
	}
}

/**
 * Rewrites every Conv (default domain) whose output only an activation reads into a FusedConv
 * producing the activation's output, and adds the com.microsoft opset import when anything changed.
 * Edits `model` (an editable copy) in place; returns report rows and the pairs left alone.
 */
export function fuseConvActivations(model: Model): { rows: LayerRow[]; skipped: Skipped[] } {
	const graph = model.graph;
	const readers = consumers(graph);
	const graphOutputs = new Set(graph.outputs.map((o) => o.name));
	const removed = new Set<Node>();
	const rows: LayerRow[] = [];
	const skipped: Skipped[] = [];
	for (const conv of graph.nodes) {
		if (conv.opType !== 'Conv' || (conv.domain && conv.domain !== 'ai.onnx')) continue;
		const r = readers.get(conv.outputs[0]) ?? [];
		if (r.length !== 1 || graphOutputs.has(conv.outputs[0])) continue;
		const act = graph.nodes[r[0]];
		if (act.domain && act.domain !== 'ai.onnx') continue;
		if (!FUSED_CONV_ACTIVATIONS.has(act.opType)) continue;
		const params = activationParams(graph, act);
		if (typeof params === 'string') {
			skipped.push({ node: conv.name, reason: params });
			continue;
		}
		delete graph.valueInfo[conv.outputs[0]];
		conv.opType = 'FusedConv';
		conv.domain = CONTRIB_DOMAIN;
		conv.outputs = [act.outputs[0]];
		conv.attrs = {
			...conv.attrs,
			activation: { type: 'string', value: act.opType },
			...(params.length ? { activation_params: { type: 'floats', value: params } } : {})
		};
		removed.add(act);
		rows.push({ node: conv.name, opType: 'FusedConv', tensor: act.outputs[0], elements: 0, bytesBefore: 0, bytesAfter: 0, note: `Conv + ${act.opType} (${act.name}) → com.microsoft FusedConv` });
	}
	if (removed.size) {
		graph.nodes = graph.nodes.filter((n) => !removed.has(n));
		if (!model.opsetImports.some((o) => o.domain === CONTRIB_DOMAIN)) model.opsetImports = [...model.opsetImports, { domain: CONTRIB_DOMAIN, version: 1 }];
	}
	return { rows, skipped };
}
