import type { Dim } from '../ir/types';
import { ShapeError, type KnownValue, type OpContext, type OpInfer, type OutputInfo } from './types';
import { attrInt, attrInts, need, needNumbers, normAxis } from './util';
import { gatherIndices } from './tensor-ops';

/** A same-values, new-shape result: the folded value follows the reshape when it was known. */
function reshaped(ctx: OpContext, shape: Dim[]): OutputInfo {
	const out: OutputInfo = { dtype: ctx.dtype(0), shape };
	const k = ctx.known(0);
	if (k && shape.every((d) => typeof d === 'number')) out.value = { ...k, dims: shape as number[] };
	return out;
}

/** Splits dims into their numeric product and the list of symbolic names. */
function factor(dims: Dim[]): { n: number; syms: string[] } {
	let n = 1;
	const syms: string[] = [];
	for (const d of dims) {
		if (typeof d === 'number') n *= d;
		else syms.push(d);
	}
	return { n, syms };
}

/**
 * Reshape's target: 0 copies the input dim (unless allowzero), −1 takes what is left of the element
 * count. Symbolic dims cancel by name, so [N,C,H,W] → [0,−1] gives [N, C·H·W] with H, W known.
 */
export function reshapeTarget(input: Dim[], target: Dim[], allowZero: boolean, where: string): Dim[] {
	const out = target.map((d, i) => (d === 0 && !allowZero ? (i < input.length ? input[i] : 0) : d));
	const inferred = out.indexOf(-1);
	if (inferred < 0) return out;
	if (out.indexOf(-1, inferred + 1) >= 0) throw new ShapeError(`${where}: more than one -1 in the target shape`);
	const have = factor(input);
	const rest = factor(out.filter((_, i) => i !== inferred));
	const syms = [...have.syms];
	for (const s of rest.syms) {
		const j = syms.indexOf(s);
		if (j < 0) throw new ShapeError(`${where}: cannot infer -1 with symbolic dim ${s}`);
		syms.splice(j, 1);
	}
	if (rest.n === 0 || have.n % rest.n !== 0) {
		if (syms.length === 0) throw new ShapeError(`${where}: ${have.n} elements do not reshape to [${target}]`);
	}
	const n = have.n / rest.n;
	out[inferred] = syms.length === 0 ? n : [...(n === 1 ? [] : [String(n)]), ...syms].join('*');
	return out;
}

/** Axes given as an attribute (older opsets) or as input `i` (newer): whichever the node has. */
export function axesOf(ctx: OpContext, i: number): number[] | undefined {
	const fromAttr = attrInts(ctx.node, 'axes');
	if (fromAttr) return fromAttr;
	if (ctx.has(i)) return needNumbers(ctx, i, 'axes');
	return undefined;
}

const reshape: OpInfer = (ctx) => {
	const input = need(ctx, 0);
	let target: Dim[];
	const attrShape = attrInts(ctx.node, 'shape');
	if (attrShape && !ctx.has(1)) target = attrShape;
	else {
		const k = ctx.known(1);
		if (!k) throw new ShapeError(`target shape (${ctx.node.inputs[1]}) is not a constant`);
		target = k.values;
	}
	const where = ctx.node.name || 'Reshape';
	return [reshaped(ctx, reshapeTarget(input, target, attrInt(ctx.node, 'allowzero', 0) === 1, where))];
};

const flatten: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const raw = attrInt(ctx.node, 'axis', 1);
	const axis = raw < 0 ? raw + x.length : raw;
	const head = factor(x.slice(0, axis));
	const tail = factor(x.slice(axis));
	const dim = (f: { n: number; syms: string[] }): Dim =>
		f.syms.length === 0 ? f.n : [...(f.n === 1 ? [] : [String(f.n)]), ...f.syms].join('*');
	return [reshaped(ctx, [dim(head), dim(tail)])];
};

const squeeze: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const axes = axesOf(ctx, 1);
	const where = ctx.node.name || 'Squeeze';
	if (!axes) {
		if (x.some((d) => typeof d !== 'number')) throw new ShapeError(`${where}: squeeze without axes on symbolic dims`);
		return [reshaped(ctx, x.filter((d) => d !== 1))];
	}
	const drop = new Set(axes.map((a) => normAxis(a, x.length, ctx.node)));
	return [reshaped(ctx, x.filter((_, i) => !drop.has(i)))];
};

const unsqueeze: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const axes = axesOf(ctx, 1);
	if (!axes) throw new ShapeError(`${ctx.node.name || 'Unsqueeze'}: no axes`);
	const rank = x.length + axes.length;
	const add = new Set(axes.map((a) => normAxis(a, rank, ctx.node)));
	const out: Dim[] = [];
	let j = 0;
	for (let i = 0; i < rank; i++) out.push(add.has(i) ? 1 : x[j++]);
	return [reshaped(ctx, out)];
};

const transpose: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const perm = attrInts(ctx.node, 'perm') ?? x.map((_, i) => x.length - 1 - i);
	const out: OutputInfo = { dtype: ctx.dtype(0), shape: perm.map((p) => x[p]) };
	const k = ctx.known(0);
	if (k) out.value = gatherIndices(k, perm.map((p) => k.dims[p]), (coord) => {
		const src: number[] = [];
		perm.forEach((p, i) => (src[p] = coord[i]));
		return src;
	});
	return [out];
};

/** A value passed through unchanged (Identity), keeping its folded value. */
export function passThrough(ctx: OpContext): OutputInfo {
	const out: OutputInfo = { dtype: ctx.dtype(0), shape: ctx.shape(0) };
	const k: KnownValue | undefined = ctx.known(0);
	if (k) out.value = k;
	return out;
}

/** Ops that change only the shape, not the values. */
export const reshapeOps: Record<string, OpInfer> = {
	Reshape: reshape,
	Flatten: flatten,
	Squeeze: squeeze,
	Unsqueeze: unsqueeze,
	Transpose: transpose
};
