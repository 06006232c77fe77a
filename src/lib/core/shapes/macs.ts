import type { Dim, Node, TensorInfo } from '../ir/types';
import { attrInt, attrString, product } from './util';

function dimsOf(values: Record<string, TensorInfo>, name: string | undefined): Dim[] | undefined {
	return name ? (values[name]?.shape ?? undefined) : undefined;
}

function count(dims: Dim[] | undefined): number | undefined {
	return dims && product(dims);
}

/**
 * Multiply-accumulates of one node, from the inferred shapes. Formulas (one MAC = one multiply and
 * one add; bias adds, activations and normalization are not counted):
 *
 * - Conv, FusedConv (com.microsoft), ConvInteger, QLinearConv: outputElements · (C_in / group) · ∏kernel, i.e. output elements
 *   times W.dims[1] · ∏W.dims[2:] (depthwise: group = C_in, so one kernel window per output).
 * - ConvTranspose: inputElements · (C_out / group) · ∏kernel = inputElements · W.dims[1] · ∏W.dims[2:]
 *   (each input element is scattered through one kernel per output channel of its group).
 * - Gemm: M · N · K. MatMul, MatMulInteger, QLinearMatMul: outputElements · K, K the shared inner dim
 *   (batched and broadcast products count every batch).
 * - LSTM / GRU / RNN: seq · batch · directions · gates · hidden · (input + hidden), gates = 4 / 3 / 1
 *   (the input and recurrent matrix products of every step; peepholes and biases not counted).
 *
 * Every other op counts 0, as does a node whose shapes are not fully known (symbolic dims left).
 */
export function nodeMacs(node: Node, values: Record<string, TensorInfo>): number {
	const input = (i: number) => dimsOf(values, node.inputs[i]);
	const out = () => count(dimsOf(values, node.outputs[0]));
	const weightWindow = (w: Dim[] | undefined) => count(w?.slice(1));
	switch (node.opType) {
		case 'Conv':
		case 'FusedConv':
		case 'ConvInteger':
		case 'QLinearConv': {
			const w = input(node.opType === 'QLinearConv' ? 3 : 1);
			return (out() ?? 0) * (weightWindow(w) ?? 0);
		}
		case 'ConvTranspose':
			return (count(input(0)) ?? 0) * (weightWindow(input(1)) ?? 0);
		case 'Gemm': {
			const a = input(0);
			const o = dimsOf(values, node.outputs[0]);
			if (!a || !o) return 0;
			const k = attrInt(node, 'transA', 0) ? a[0] : a[1];
			return (product(o) ?? 0) * (typeof k === 'number' ? k : 0);
		}
		case 'MatMul':
		case 'MatMulInteger':
		case 'QLinearMatMul': {
			const a = input(0);
			const k = a?.[a.length - 1];
			return (out() ?? 0) * (typeof k === 'number' ? k : 0);
		}
		case 'LSTM':
		case 'GRU':
		case 'RNN':
			return recurrentMacs(node, input(0), input(2));
		default:
			return 0;
	}
}

function recurrentMacs(node: Node, x: Dim[] | undefined, r: Dim[] | undefined): number {
	if (!x || !r) return 0;
	const gates = node.opType === 'LSTM' ? 4 : node.opType === 'GRU' ? 3 : 1;
	const [seq, batch] = attrInt(node, 'layout', 0) === 0 ? [x[0], x[1]] : [x[1], x[0]];
	const hidden = attrInt(node, 'hidden_size') ?? r[2];
	const dirs = attrString(node, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
	const inputSize = x[2];
	const n = product([seq, batch, hidden, inputSize]);
	if (n === undefined || typeof hidden !== 'number' || typeof inputSize !== 'number') return 0;
	return (seq as number) * (batch as number) * dirs * gates * hidden * (inputSize + hidden);
}
