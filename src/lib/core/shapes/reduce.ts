import type { Dim } from '../ir/types';
import type { OpContext, OpInfer } from './types';
import { attrInt, need, normAxis } from './util';
import { axesOf } from './reshape';

/**
 * The opset from which each reduction takes `axes` as an input instead of an attribute
 * (ReduceSum moved at 13, the others at 18).
 */
function reduce(ctx: OpContext): Dim[] {
	const x = need(ctx, 0);
	const axes = axesOf(ctx, 1);
	const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
	if (!axes || axes.length === 0) {
		if (attrInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return x;
		return keep ? x.map(() => 1) : [];
	}
	const set = new Set(axes.map((a) => normAxis(a, x.length, ctx.node)));
	return keep ? x.map((d, i) => (set.has(i) ? 1 : d)) : x.filter((_, i) => !set.has(i));
}

const REDUCTIONS = ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceSum', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

function argReduce(ctx: OpContext): Dim[] {
	const x = need(ctx, 0);
	const axis = normAxis(attrInt(ctx.node, 'axis', 0), x.length, ctx.node);
	const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
	return keep ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis);
}

/** Reductions: keepdims, axes as attribute or input, noop_with_empty_axes. */
export const reduceOps: Record<string, OpInfer> = {
	...Object.fromEntries(REDUCTIONS.map((op) => [op, (ctx: OpContext) => [{ dtype: ctx.dtype(0), shape: reduce(ctx) }]])),
	ArgMax: (ctx) => [{ dtype: 'int64', shape: argReduce(ctx) }],
	ArgMin: (ctx) => [{ dtype: 'int64', shape: argReduce(ctx) }]
};
