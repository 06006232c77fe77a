/**
 * Folds BatchNormalization into the Conv, ConvTranspose or Gemm that feeds it: y = s·(x − mean) + β
 * with s = γ/√(var + ε) becomes a per-output-channel scale of the weights and a new bias. Only done
 * when the producer's output has no other reader, so no other consumer sees the changed values.
 */
import { consumers, elementCount, fromFloat32, producers, readFloat32 } from '../ir/graph';
import type { Graph, Model, Node } from '../ir/types';
import type { LayerRow, Skipped, TransformResult } from './types';
import { baseReport, editableCopy, finishReport, floatAttr, floatInit, intAttr, nameAllocator, pruneUnusedInitializers } from './util';

/** Output channel of each element of a weight tensor, for the producer's layout. */
function channelOf(node: Node, dims: number[]): (i: number) => number {
	const inner = elementCount(dims.slice(node.opType === 'Conv' ? 1 : 2));
	if (node.opType === 'Conv') return (i) => Math.floor(i / inner);
	if (node.opType === 'ConvTranspose') {
		const group = intAttr(node, 'group', 1);
		const perGroupIn = dims[0] / group;
		const perGroupOut = dims[1];
		return (i) => {
			const c = Math.floor(i / (dims[1] * inner));
			const j = Math.floor(i / inner) % dims[1];
			return Math.floor(c / perGroupIn) * perGroupOut + j;
		};
	}
	const transB = intAttr(node, 'transB', 0);
	return transB ? (i) => Math.floor(i / dims[1]) : (i) => i % dims[1];
}

function outputChannels(node: Node, dims: number[]): number {
	if (node.opType === 'Conv') return dims[0];
	if (node.opType === 'ConvTranspose') return dims[1] * intAttr(node, 'group', 1);
	return intAttr(node, 'transB', 0) ? dims[0] : dims[1];
}

/** Why a BatchNormalization cannot be folded, or null when it can. */
function refusal(graph: Graph, bn: Node, producer: Node | undefined, readers: number): string | null {
	if (bn.outputs.filter(Boolean).length > 1) return 'BatchNormalization has training-mode outputs';
	for (let i = 1; i < 5; i++) if (!floatInit(graph, bn, i)) return `BatchNormalization input ${i} is not a constant`;
	if (!producer) return 'input is not produced by a node';
	if (!['Conv', 'ConvTranspose', 'Gemm'].includes(producer.opType)) return `input comes from ${producer.opType}, not Conv/ConvTranspose/Gemm`;
	if (!floatInit(graph, producer, 1)) return `${producer.opType} weights are not a constant`;
	if (producer.inputs[2] && !floatInit(graph, producer, 2)) return `${producer.opType} bias is not a constant`;
	if (readers !== 1 || graph.outputs.some((o) => o.name === producer.outputs[0])) return `${producer.opType} output has other readers`;
	return null;
}

/**
 * Folds every foldable BatchNormalization. Report rows list each folded pair (the weight tensor and
 * its new bias); `skipped` names each BatchNormalization left in place and why.
 */
export function foldBatchNorm(model: Model): TransformResult {
	const out = editableCopy(model);
	const graph = out.graph;
	const fresh = nameAllocator(graph);
	const producerOf = producers(graph);
	const readers = consumers(graph);
	const rows: LayerRow[] = [];
	const skipped: Skipped[] = [];
	const removed = new Set<Node>();
	for (const bn of graph.nodes) {
		if (bn.opType !== 'BatchNormalization') continue;
		const pIndex = producerOf.get(bn.inputs[0]);
		const producer = pIndex === undefined ? undefined : graph.nodes[pIndex];
		const why = refusal(graph, bn, producer, readers.get(bn.inputs[0])?.length ?? 0);
		if (why || !producer) {
			skipped.push({ node: bn.name || bn.outputs[0], reason: why ?? 'no producer' });
			continue;
		}
		const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => readFloat32(floatInit(graph, bn, i)!));
		const eps = floatAttr(bn, 'epsilon', 1e-5);
		const w = floatInit(graph, producer, 1)!;
		const channels = outputChannels(producer, w.dims);
		if (gamma.length !== channels) {
			skipped.push({ node: bn.name || bn.outputs[0], reason: `has ${gamma.length} channels but ${producer.opType} produces ${channels}` });
			continue;
		}
		const scale = Float64Array.from(gamma, (g, c) => g / Math.sqrt(variance[c] + eps));
		const weights = readFloat32(w);
		const channel = channelOf(producer, w.dims);
		for (let i = 0; i < weights.length; i++) weights[i] = weights[i] * scale[channel(i)];
		const biasInit = producer.inputs[2] ? floatInit(graph, producer, 2) : undefined;
		const oldBias = biasInit ? readFloat32(biasInit) : new Float32Array(1);
		const gemmBeta = producer.opType === 'Gemm' ? floatAttr(producer, 'beta', 1) : 1;
		const bias = new Float32Array(channels);
		for (let c = 0; c < channels; c++) {
			const b = biasInit ? gemmBeta * oldBias[oldBias.length === 1 ? 0 : c] : 0;
			bias[c] = (b - mean[c]) * scale[c] + beta[c];
		}
		const wName = fresh(`${w.name}_bnfold`);
		const bName = fresh(`${producer.name || producer.outputs[0]}_bnfold_bias`);
		graph.initializers[wName] = fromFloat32(weights, 'float32', w.dims, wName, w.origin);
		graph.initializers[bName] = fromFloat32(bias, 'float32', [channels], bName, 'initializer');
		producer.inputs = [producer.inputs[0], wName, bName];
		if (producer.opType === 'Gemm') producer.attrs = { ...producer.attrs, beta: { type: 'float', value: 1 } };
		producer.outputs = [bn.outputs[0]];
		removed.add(bn);
		rows.push({ node: producer.name, opType: producer.opType, tensor: wName, elements: weights.length, bytesBefore: w.data.byteLength, bytesAfter: weights.length * 4, note: `folded ${bn.name || 'BatchNormalization'}` });
	}
	graph.nodes = graph.nodes.filter((n) => !removed.has(n));
	for (const n of removed) delete graph.valueInfo[n.inputs[0]];
	pruneUnusedInitializers(graph);
	const report = finishReport({ ...baseReport('fold-batchnorm', model, out), rows, skipped }, model, out);
	report.notes.push(`${removed.size} BatchNormalization folded, ${skipped.length} left`);
	return { model: out, report };
}
