import type { Dim, DType, Node } from '../ir/types';
import { ShapeError, type OpContext, type OpInfer } from './types';
import { attrInt, attrInts, attrString, need } from './util';

/** Spatial window parameters of a Conv/Pool node, each with one entry per spatial axis. */
export interface Window {
	kernel: number[];
	strides: number[];
	dilations: number[];
	/** Begin pads then end pads, as ONNX lists them. */
	pads: number[];
	autoPad: string;
}

export function windowOf(node: Node, kernel: number[]): Window {
	const n = kernel.length;
	const autoPad = attrString(node, 'auto_pad', 'NOTSET');
	return {
		kernel,
		strides: attrInts(node, 'strides') ?? Array(n).fill(1),
		dilations: attrInts(node, 'dilations') ?? Array(n).fill(1),
		pads: autoPad === 'NOTSET' ? (attrInts(node, 'pads') ?? Array(2 * n).fill(0)) : Array(2 * n).fill(0),
		autoPad
	};
}

/**
 * Output size of one spatial axis of a sliding window:
 * NOTSET: floor-or-ceil((in + padBegin + padEnd − ((k−1)·d+1)) / s) + 1; VALID: the same with no pads;
 * SAME_UPPER / SAME_LOWER: ceil(in / s). With ceil_mode, a last window that would start inside the
 * end padding is dropped (onnx reference and onnxruntime behaviour since opset 19).
 */
export function windowOutput(input: Dim, w: Window, axis: number, ceilMode = false): Dim | undefined {
	if (typeof input !== 'number') return undefined;
	const s = w.strides[axis];
	if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(input / s);
	const span = (w.kernel[axis] - 1) * w.dilations[axis] + 1;
	const padBegin = w.pads[axis];
	const padded = input + padBegin + w.pads[axis + w.kernel.length];
	if (!ceilMode) return Math.floor((padded - span) / s) + 1;
	let out = Math.ceil((padded - span) / s) + 1;
	if ((out - 1) * s >= input + padBegin) out -= 1;
	return out;
}

function spatial(ctx: OpContext, x: Dim[], w: Window, ceilMode: boolean): Dim[] {
	return x.slice(2).map((d, i) => windowOutput(d, w, i, ceilMode) ?? ctx.fresh(0, i + 2));
}

function convLike(dtypeOf: (ctx: OpContext) => DType, xIdx: number, wIdx: number): OpInfer {
	return (ctx) => {
		const x = need(ctx, xIdx);
		const wShape = need(ctx, wIdx);
		const kernel = attrInts(ctx.node, 'kernel_shape') ?? wShape.slice(2).map((d) => {
			if (typeof d !== 'number') throw new ShapeError(`kernel dims of ${ctx.node.inputs[wIdx]} are symbolic`);
			return d;
		});
		const w = windowOf(ctx.node, kernel);
		return [{ dtype: dtypeOf(ctx), shape: [x[0], wShape[0], ...spatial(ctx, x, w, false)] }];
	};
}

const convTranspose: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const wShape = need(ctx, 1);
	const node = ctx.node;
	const group = attrInt(node, 'group', 1);
	const kernel = attrInts(node, 'kernel_shape') ?? (wShape.slice(2) as number[]);
	const w = windowOf(node, kernel);
	const outputPadding = attrInts(node, 'output_padding') ?? Array(kernel.length).fill(0);
	const outputShape = attrInts(node, 'output_shape');
	const channels = typeof wShape[1] === 'number' ? wShape[1] * group : ctx.fresh(0, 1);
	const dims = x.slice(2).map((d, i) => {
		if (outputShape) return outputShape[outputShape.length - kernel.length + i];
		if (typeof d !== 'number') return ctx.fresh(0, i + 2);
		// ONNX: out = s·(in−1) + output_padding + ((k−1)·d+1) − padBegin − padEnd; SAME gives in·s.
		if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return d * w.strides[i];
		const span = (kernel[i] - 1) * w.dilations[i] + 1;
		return w.strides[i] * (d - 1) + outputPadding[i] + span - w.pads[i] - w.pads[i + kernel.length];
	});
	return [{ dtype: ctx.dtype(0), shape: [x[0], channels, ...dims] }];
};

function pool(ctx: OpContext): { dtype: DType; shape: Dim[] } {
	const x = need(ctx, 0);
	const kernel = attrInts(ctx.node, 'kernel_shape');
	if (!kernel) throw new ShapeError(`${ctx.node.name || ctx.node.opType} has no kernel_shape`);
	const w = windowOf(ctx.node, kernel);
	const ceil = attrInt(ctx.node, 'ceil_mode', 0) === 1;
	return { dtype: ctx.dtype(0), shape: [x[0], x[1], ...spatial(ctx, x, w, ceil)] };
}

const globalPool: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	return [{ dtype: ctx.dtype(0), shape: [x[0], x[1], ...x.slice(2).map(() => 1)] }];
};

/** Convolutions and pooling. */
export const convOps: Record<string, OpInfer> = {
	Conv: convLike((ctx) => ctx.dtype(0), 0, 1),
	ConvInteger: convLike(() => 'int32', 0, 1),
	// QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B): y takes y_zero_point's type.
	QLinearConv: convLike((ctx) => (ctx.has(7) ? ctx.dtype(7) : ctx.dtype(0)), 0, 3),
	ConvTranspose: convTranspose,
	AveragePool: (ctx) => [pool(ctx)],
	LpPool: (ctx) => [pool(ctx)],
	MaxPool: (ctx) => {
		const y = pool(ctx);
		return [y, { dtype: 'int64', shape: y.shape }];
	},
	GlobalAveragePool: globalPool,
	GlobalMaxPool: globalPool,
	GlobalLpPool: globalPool
};
