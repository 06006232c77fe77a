import type { Dim } from '../ir/types';
import { ShapeError, type OpContext, type OpInfer } from './types';
import { attrInts, attrString, need, normAxis, numbersOf } from './util';

function knownNumbers(ctx: OpContext, i: number): number[] | undefined {
	if (!ctx.has(i)) return undefined;
	const k = ctx.known(i);
	if (!k) throw new ShapeError(`${ctx.node.inputs[i]} of ${ctx.node.name || ctx.node.opType} is not a constant`);
	const v = numbersOf(k);
	return v && v.length > 0 ? v : undefined;
}

/**
 * Resize (opset 10: X, scales; 11+: X, roi, scales, sizes; 18+: `axes`, `keep_aspect_ratio_policy`).
 * From scales: out = floor(in · scale). From sizes with policy not_larger / not_smaller: one scale,
 * the min / max of sizes/in over the axes, then out = round(in · scale) (ONNX reference).
 */
const resize: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const [scalesIdx, sizesIdx] = ctx.opset < 11 ? [1, -1] : [2, 3];
	const axes = (attrInts(ctx.node, 'axes') ?? x.map((_, i) => i)).map((a) => normAxis(a, x.length, ctx.node));
	const sizes = sizesIdx > 0 ? knownNumbers(ctx, sizesIdx) : undefined;
	const shape: Dim[] = [...x];
	if (sizes) {
		const policy = attrString(ctx.node, 'keep_aspect_ratio_policy', 'stretch');
		if (policy === 'stretch') axes.forEach((a, j) => (shape[a] = sizes[j]));
		else {
			const ratios = axes.map((a, j) => {
				const d = x[a];
				if (typeof d !== 'number') throw new ShapeError(`symbolic dim with keep_aspect_ratio_policy in ${ctx.node.name}`);
				return sizes[j] / d;
			});
			const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
			axes.forEach((a) => (shape[a] = Math.round((x[a] as number) * scale)));
		}
		return [{ dtype: ctx.dtype(0), shape }];
	}
	const scales = knownNumbers(ctx, scalesIdx) ?? attrScales(ctx);
	if (!scales) throw new ShapeError(`${ctx.node.name || 'Resize'} has neither scales nor sizes`);
	axes.forEach((a, j) => {
		const d = x[a];
		shape[a] = typeof d === 'number' ? Math.floor(d * scales[j]) : scales[j] === 1 ? d : ctx.fresh(0, a);
	});
	return [{ dtype: ctx.dtype(0), shape }];
};

function attrScales(ctx: OpContext): number[] | undefined {
	const a = ctx.node.attrs.scales;
	return a?.type === 'floats' ? a.value : undefined;
}

export const resizeOps: Record<string, OpInfer> = { Resize: resize, Upsample: resize };
