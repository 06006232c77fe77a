/**
 * Structured channel (filter) pruning by L1 norm (Li et al. 2017, "Pruning Filters for Efficient
 * ConvNets"): in each channel group (channel-groups.ts) the channels whose producer filters have the
 * smallest summed |w| are removed from every tensor of the group — producer filters and biases,
 * depthwise filters (whose `group` shrinks with them), BatchNorm parameters, per-channel constants,
 * and the input channels of the Convs that read the group. The result is a smaller dense model:
 * weights, activations and MACs all shrink, unlike magnitude pruning.
 */
import { elementCount, readFloat32 } from '../ir/graph';
import type { Graph, Initializer, Model, Node } from '../ir/types';
import { channelGroup, type ChannelGroup } from './channel-groups';
import type { LayerRow, Skipped, TransformResult } from './types';
import { baseReport, editableCopy, finishReport, intAttr, nameAllocator, pruneUnusedInitializers, withValues } from './util';

export interface ChannelPruneOptions {
	/** Fraction of each group's channels to remove, 0..1 (at least one channel always stays). */
	sparsity: number;
	/** Convs with fewer output channels are left whole. Default 8. */
	minChannels?: number;
}

/** A copy of `init` keeping only the indices `keep` along `axis`, under a fresh name. */
function sliceAxis(init: Initializer, axis: number, keep: Int32Array, name: string): Initializer {
	const values = readFloat32(init);
	const dims = [...init.dims];
	const outer = elementCount(dims.slice(0, axis));
	const inner = elementCount(dims.slice(axis + 1));
	const out = new Float32Array(outer * keep.length * inner);
	for (let o = 0, at = 0; o < outer; o++) {
		for (let k = 0; k < keep.length; k++) {
			const from = (o * dims[axis] + keep[k]) * inner;
			// Short runs (1×1 kernels, per-channel vectors) copy faster element by element than through a subarray.
			if (inner < 64) for (let j = 0; j < inner; j++) out[at + j] = values[from + j];
			else out.set(values.subarray(from, from + inner), at);
			at += inner;
		}
	}
	dims[axis] = keep.length;
	return withValues({ ...init, name }, out, dims);
}

/** Summed L1 norm of each output channel over the group's producer filters. */
function channelNorms(graph: Graph, group: ChannelGroup): Float64Array {
	const norms = new Float64Array(group.channels);
	for (const edit of group.edits) {
		if (edit.kind !== 'producer') continue;
		const w = readFloat32(graph.initializers[edit.node.inputs[1]]);
		const per = w.length / group.channels;
		for (let c = 0; c < group.channels; c++) for (let j = c * per; j < (c + 1) * per; j++) norms[c] += Math.abs(w[j]);
	}
	return norms;
}

/** Channels to keep: the largest norms, in ascending channel order (ties keep the lower index). */
function keptChannels(norms: Float64Array, sparsity: number): Int32Array {
	const keep = Math.max(1, norms.length - Math.round(norms.length * sparsity));
	const order = Array.from(norms.keys()).sort((a, b) => norms[b] - norms[a] || a - b);
	return Int32Array.from(order.slice(0, keep)).sort();
}

/** Rewrites every node of a group to the kept channels. */
function applyGroup(graph: Graph, group: ChannelGroup, keep: Int32Array, fresh: (base: string) => string): void {
	const replace = (node: { inputs: string[] }, index: number, axis: number) => {
		const init = graph.initializers[node.inputs[index]];
		const sliced = sliceAxis(init, axis, keep, fresh(`${init.name}_pruned`));
		graph.initializers[sliced.name] = sliced;
		node.inputs[index] = sliced.name;
	};
	for (const edit of group.edits) {
		const { node } = edit;
		switch (edit.kind) {
			case 'producer':
				replace(node, 1, 0);
				if (node.inputs[2]) replace(node, 2, 0);
				break;
			case 'depthwise':
				replace(node, 1, 0);
				if (node.inputs[2]) replace(node, 2, 0);
				node.attrs = { ...node.attrs, group: { type: 'int', value: keep.length } };
				break;
			case 'consumer': replace(node, 1, 1); break;
			case 'batchnorm': for (let i = 1; i <= 4; i++) replace(node, i, 0); break;
			case 'constant': replace(node, edit.input, edit.axis); break;
			case 'pass': break;
		}
	}
	// The group's values changed channel count: drop their stale recorded shapes.
	for (const v of group.values) delete graph.valueInfo[v];
}

/** Removes the lowest-L1 channels of every prunable Conv group. Never mutates `model`. */
export function pruneChannels(model: Model, options: ChannelPruneOptions): TransformResult {
	const sparsity = Math.min(1, Math.max(0, options.sparsity));
	const out = editableCopy(model);
	const graph = out.graph;
	const fresh = nameAllocator(graph);
	const rows: LayerRow[] = [];
	const skipped: Skipped[] = [];
	const done = new Set<Node>();
	for (const node of [...graph.nodes]) {
		if (node.opType !== 'Conv' || node.domain || done.has(node) || intAttr(node, 'group', 1) !== 1) continue;
		const weight = graph.initializers[node.inputs[1] ?? ''];
		if (!weight || weight.dims[0] < (options.minChannels ?? 8)) continue;
		const found = channelGroup(graph, node);
		if (!found.ok) {
			skipped.push({ node: node.name, reason: found.reason });
			continue;
		}
		const { group } = found;
		const producersOf = group.edits.filter((e) => e.kind === 'producer').map((e) => e.node);
		for (const p of producersOf) done.add(p);
		const keep = keptChannels(channelNorms(graph, group), sparsity);
		const before = producersOf.map((p) => graph.initializers[p.inputs[1]]);
		applyGroup(graph, group, keep, fresh);
		producersOf.forEach((p, i) => rows.push({
			node: p.name, opType: 'Conv', tensor: before[i].name, elements: elementCount(graph.initializers[p.inputs[1]].dims),
			bytesBefore: before[i].data.byteLength, bytesAfter: graph.initializers[p.inputs[1]].data.byteLength,
			note: `kept ${keep.length}/${group.channels} channels; group of ${group.edits.length} rewritten nodes`
		}));
	}
	pruneUnusedInitializers(graph);
	const report = finishReport({ ...baseReport('prune-channels', model, out), rows, skipped }, model, out);
	report.notes.push('Channels are removed physically: weights, activations, MACs and latency all shrink (rows count the producer filters; consumer Convs shrink too).');
	return { model: out, report };
}
