/**
 * Which ONNX ops can be fused into a tile stack, and the window each applies along H and W. A
 * window op (2-D Conv, MaxPool, AveragePool) counts as a layer; elementwise ops (activations,
 * BatchNormalization, Add/Mul with a per-channel constant, channel Concat) are zero-halo and belong
 * to the layer before them. Anything else — global pooling, reshapes, resizes, a constant that varies
 * over H or W — is not spatially local, and the stack stops there.
 */
import type { Initializer, Node, TensorInfo } from '../ir/types';
import { attrInt, attrInts, attrString } from '../shapes/util';
import { IDENTITY_WINDOW, type AxisWindow, type SpatialLayer } from './receptive-field';

/** Ops whose first input is the data and whose other inputs, if any, are parameters (never spatial). */
const UNARY = new Set([
	'Relu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'Clip', 'Elu', 'Selu', 'Celu', 'Softplus',
	'Softsign', 'Identity', 'Neg', 'Abs', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Erf', 'Gelu', 'Mish', 'ThresholdedRelu',
	'Dropout', 'BatchNormalization', 'Floor', 'Ceil', 'Round', 'Sign'
]);

/** Broadcasting binary ops: each operand is a stack tensor of the output's shape, or a constant flat over H and W. */
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'PRelu']);

export type LocalOp =
	| { kind: 'local'; layer: SpatialLayer; window: boolean }
	| { kind: 'stop'; reason: string };

/** Facts about the node's inputs that the classification needs. */
export interface LocalOpContext {
	/** Is this value produced inside the stack (or is it the stack input)? */
	inStack(name: string): boolean;
	initializer(name: string): Initializer | undefined;
	info(name: string): TensorInfo | undefined;
}

const stop = (reason: string): LocalOp => ({ kind: 'stop', reason });
const elementwise: LocalOp = { kind: 'local', layer: { kind: 'elementwise', rows: IDENTITY_WINDOW, cols: IDENTITY_WINDOW }, window: false };

/** A constant that, broadcast against an NCHW tensor, is the same at every H and W position. */
function flatOverSpace(init: Initializer): boolean {
	const d = init.dims;
	return (d.length < 1 || d[d.length - 1] === 1) && (d.length < 2 || d[d.length - 2] === 1);
}

function axisWindow(kernel: number, stride: number, dilation: number, padBegin: number, padEnd: number): AxisWindow {
	return { kernel, stride, dilation, padBegin, padEnd };
}

/** Explicit pads [top, left, bottom, right] for auto_pad SAME_UPPER / SAME_LOWER / VALID / NOTSET. */
function explicitPads(node: Node, kernel: number[], strides: number[], dilations: number[], inputHw: number[]): number[] {
	const autoPad = attrString(node, 'auto_pad', 'NOTSET');
	if (autoPad === 'NOTSET') return attrInts(node, 'pads') ?? [0, 0, 0, 0];
	if (autoPad === 'VALID') return [0, 0, 0, 0];
	const begin: number[] = [];
	const end: number[] = [];
	for (let a = 0; a < 2; a++) {
		const span = (kernel[a] - 1) * dilations[a] + 1;
		const total = Math.max(0, (Math.ceil(inputHw[a] / strides[a]) - 1) * strides[a] + span - inputHw[a]);
		const b = autoPad === 'SAME_LOWER' ? Math.ceil(total / 2) : Math.floor(total / 2);
		begin.push(b);
		end.push(total - b);
	}
	return [...begin, ...end];
}

function windowOp(node: Node, kind: SpatialLayer['kind'], kernel: number[], inputHw: number[]): LocalOp {
	if (kernel.length !== 2) return stop(`${node.opType} is not 2-D (kernel ${kernel.join('×')})`);
	const strides = attrInts(node, 'strides') ?? [1, 1];
	const dilations = attrInts(node, 'dilations') ?? [1, 1];
	const pads = explicitPads(node, kernel, strides, dilations, inputHw);
	return {
		kind: 'local',
		window: true,
		layer: {
			kind,
			rows: axisWindow(kernel[0], strides[0], dilations[0], pads[0], pads[2]),
			cols: axisWindow(kernel[1], strides[1], dilations[1], pads[1], pads[3])
		}
	};
}

/** The node's data input: the first input the stack produces (a binary op may list a constant first). */
export function dataInput(node: Node, inStack: (name: string) => boolean): string | undefined {
	return node.inputs.find((name) => name && inStack(name));
}

/** Classifies one node for a fused stack whose data tensors are NCHW; `inputHw` is its data input's H, W. */
export function classifyNode(node: Node, ctx: LocalOpContext, inputHw: number[]): LocalOp {
	if (node.domain && node.domain !== 'ai.onnx') return stop(`${node.domain}.${node.opType} is not a standard op`);
	const data = BINARY.has(node.opType) || node.opType === 'Concat' ? dataInput(node, ctx.inStack) : node.inputs[0];
	if (!data || !ctx.inStack(data)) return stop(`${node.opType} does not read the stack's feature map${BINARY.has(node.opType) ? '' : ' as its first input'}`);
	if (node.outputs.filter(Boolean).length !== 1) return stop(`${node.opType} has more than one output`);
	switch (node.opType) {
		case 'Conv': {
			const w = ctx.initializer(node.inputs[1]);
			if (!w) return stop('Conv weights are not a constant');
			if (node.inputs[2] && !ctx.initializer(node.inputs[2])) return stop('Conv bias is not a constant');
			return windowOp(node, 'conv', attrInts(node, 'kernel_shape') ?? w.dims.slice(2), inputHw);
		}
		case 'MaxPool':
		case 'AveragePool': {
			if (node.opType === 'AveragePool' && attrInt(node, 'ceil_mode', 0) && attrInt(node, 'count_include_pad', 0)) {
				return stop('AveragePool with ceil_mode and count_include_pad has no exact per-tile form');
			}
			const kernel = attrInts(node, 'kernel_shape') ?? [];
			return windowOp(node, node.opType === 'MaxPool' ? 'max-pool' : 'average-pool', kernel, inputHw);
		}
		case 'Concat':
			if (attrInt(node, 'axis', 0) !== 1) return stop('Concat is not along channels');
			return node.inputs.every((name) => ctx.inStack(name)) ? elementwise : stop('Concat reads a tensor from outside the stack');
	}
	if (UNARY.has(node.opType)) {
		const params = node.inputs.slice(1).filter(Boolean);
		return params.every((name) => ctx.initializer(name)) ? elementwise : stop(`${node.opType} has a non-constant parameter`);
	}
	if (BINARY.has(node.opType)) {
		const out = ctx.info(node.outputs[0])?.shape;
		for (const name of node.inputs.filter(Boolean)) {
			const init = ctx.initializer(name);
			if (init) {
				if (!flatOverSpace(init)) return stop(`${node.opType} constant '${name}' varies over H or W`);
			} else if (!ctx.inStack(name)) return stop(`${node.opType} reads '${name}' from outside the stack`);
			else if (JSON.stringify(ctx.info(name)?.shape) !== JSON.stringify(out)) return stop(`${node.opType} broadcasts '${name}' over space`);
		}
		return elementwise;
	}
	return stop(`${node.opType} is not spatially local`);
}
