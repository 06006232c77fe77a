import type { Dim, DType } from '../ir/types';
import { broadcastShapes } from './elementwise';
import { ShapeError, type OpContext, type OpInfer } from './types';
import { attrInt, need } from './util';

/**
 * numpy.matmul shapes: a 1-D left operand gets a leading 1 and a 1-D right one a trailing 1, both
 * removed again from the result; the leading (batch) dims broadcast.
 */
export function matmulShape(a: Dim[], b: Dim[], where = 'MatMul'): Dim[] {
	if (a.length === 0 || b.length === 0) throw new ShapeError(`${where}: MatMul of a scalar`);
	const a2 = a.length === 1 ? [1, a[0]] : a;
	const b2 = b.length === 1 ? [b[0], 1] : b;
	const k1 = a2[a2.length - 1];
	const k2 = b2[b2.length - 2];
	if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) {
		throw new ShapeError(`${where}: inner dims differ ([${a}] × [${b}])`);
	}
	const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), where);
	const out = [...batch];
	if (a.length !== 1) out.push(a2[a2.length - 2]);
	if (b.length !== 1) out.push(b2[b2.length - 1]);
	return out;
}

function matmulLike(dtypeOf: (ctx: OpContext) => DType, aIdx: number, bIdx: number): OpInfer {
	return (ctx) => [{ dtype: dtypeOf(ctx), shape: matmulShape(need(ctx, aIdx), need(ctx, bIdx), ctx.node.name || ctx.node.opType) }];
}

/** Matrix products. */
export const matmulOps: Record<string, OpInfer> = {
	MatMul: matmulLike((ctx) => ctx.dtype(0), 0, 1),
	MatMulInteger: matmulLike(() => 'int32', 0, 1),
	// QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp): y takes y_zero_point's type.
	QLinearMatMul: matmulLike((ctx) => ctx.dtype(7), 0, 3),
	Gemm: (ctx) => {
		const a = need(ctx, 0);
		const b = need(ctx, 1);
		if (a.length !== 2 || b.length !== 2) throw new ShapeError(`${ctx.node.name || 'Gemm'}: Gemm needs 2-D operands`);
		const m = attrInt(ctx.node, 'transA', 0) ? a[1] : a[0];
		const n = attrInt(ctx.node, 'transB', 0) ? b[0] : b[1];
		return [{ dtype: ctx.dtype(0), shape: [m, n] }];
	}
};
