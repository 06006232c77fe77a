import type { OpInfer } from './types';
import { attrInt, dtypeFromEnum } from './util';

/**
 * Quantize ops. QuantizeLinear's output takes y_zero_point's type, else `output_dtype` (opset 21+),
 * else uint8. DequantizeLinear's takes `output_dtype` when set (opset 23+), else x_scale's type.
 * The integer matrix/conv products live with MatMul and Conv.
 */
export const quantizeOps: Record<string, OpInfer> = {
	QuantizeLinear: (ctx) => {
		const code = attrInt(ctx.node, 'output_dtype', 0);
		const dtype = ctx.has(2) ? ctx.dtype(2) : code ? dtypeFromEnum(code, ctx.node) : 'uint8';
		return [{ dtype, shape: ctx.shape(0) }];
	},
	DequantizeLinear: (ctx) => {
		const code = attrInt(ctx.node, 'output_dtype', 0);
		return [{ dtype: code ? dtypeFromEnum(code, ctx.node) : ctx.dtype(1), shape: ctx.shape(0) }];
	},
	DynamicQuantizeLinear: (ctx) => [
		{ dtype: 'uint8', shape: ctx.shape(0) },
		{ dtype: 'float32', shape: [] },
		{ dtype: 'uint8', shape: [] }
	]
};
