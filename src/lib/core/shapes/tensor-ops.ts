import type { Dim, DType, Initializer } from '../ir/types';
import { broadcastShapes } from './elementwise';
import { ShapeError, type KnownValue, type OpContext, type OpInfer, type OutputInfo } from './types';
import { FOLD_LIMIT, INTEGER_DTYPES, attrInt, attrInts, dtypeFromEnum, initializerValues, need, needNumbers, normAxis, numbersOf, product } from './util';

function addDims(a: Dim, b: Dim): Dim {
	if (typeof a === 'number' && typeof b === 'number') return a + b;
	if (a === 0) return b;
	if (b === 0) return a;
	return `${a}+${b}`;
}

const concat: OpInfer = (ctx) => {
	const present = ctx.node.inputs.map((_, i) => i).filter((i) => ctx.has(i));
	const shapes = present.map((i) => need(ctx, i));
	const rank = shapes[0].length;
	const axis = normAxis(attrInt(ctx.node, 'axis', 0), rank, ctx.node);
	const shape = [...shapes[0]];
	for (const s of shapes.slice(1)) shape[axis] = addDims(shape[axis], s[axis]);
	const out: OutputInfo = { dtype: ctx.dtype(present[0]), shape };
	const ks = present.map((i) => ctx.known(i));
	if (axis === 0 && ks.every((k) => k) && shape.every((d) => typeof d === 'number')) {
		out.value = { dtype: out.dtype, dims: shape as number[], values: ks.flatMap((k) => k!.values) };
	}
	return [out];
};

const split: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const axis = normAxis(attrInt(ctx.node, 'axis', 0), x.length, ctx.node);
	const n = ctx.node.outputs.length;
	let sizes: Dim[];
	const given = attrInts(ctx.node, 'split') ?? (ctx.has(1) ? needNumbers(ctx, 1, 'split') : undefined);
	if (given) sizes = given;
	else {
		const d = x[axis];
		if (typeof d !== 'number') sizes = Array.from({ length: n }, (_, i) => ctx.fresh(i, axis));
		else {
			// num_outputs (opset 18) and the implicit equal split: ceil-sized chunks, the last one smaller.
			const chunk = Math.ceil(d / n);
			sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, d - chunk * i)));
		}
	}
	return sizes.map((s) => ({ dtype: ctx.dtype(0), shape: x.map((d, i) => (i === axis ? s : d)) }));
};

/** Elements kept by one sliced axis, with ONNX's clamping of start/end (numpy semantics). */
export function sliceLength(dim: number, start: number, end: number, step: number): { start: number; length: number } {
	let s = start < 0 ? start + dim : start;
	let e = end < 0 ? end + dim : end;
	if (step > 0) {
		s = Math.min(Math.max(s, 0), dim);
		e = Math.min(Math.max(e, 0), dim);
		return { start: s, length: Math.max(0, Math.ceil((e - s) / step)) };
	}
	s = Math.min(Math.max(s, 0), dim - 1);
	e = Math.min(Math.max(e, -1), dim - 1);
	return { start: s, length: Math.max(0, Math.ceil((s - e) / -step)) };
}

const slice: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const old = ctx.opset < 10;
	const starts = old ? attrInts(ctx.node, 'starts')! : needNumbers(ctx, 1, 'starts');
	const ends = old ? attrInts(ctx.node, 'ends')! : needNumbers(ctx, 2, 'ends');
	const axes = (old ? attrInts(ctx.node, 'axes') : ctx.has(3) ? needNumbers(ctx, 3, 'axes') : undefined) ?? starts.map((_, i) => i);
	const steps = !old && ctx.has(4) ? needNumbers(ctx, 4, 'steps') : starts.map(() => 1);
	const shape = [...x];
	const picks: { axis: number; start: number; step: number }[] = [];
	axes.forEach((a, j) => {
		const axis = normAxis(a, x.length, ctx.node);
		const d = x[axis];
		if (typeof d !== 'number') {
			// A symbolic dim survives only the full-range slice.
			shape[axis] = starts[j] === 0 && ends[j] >= 2 ** 31 - 1 && steps[j] === 1 ? d : ctx.fresh(0, axis);
			return;
		}
		const r = sliceLength(d, starts[j], ends[j], steps[j]);
		shape[axis] = r.length;
		picks.push({ axis, start: r.start, step: steps[j] });
	});
	const out: OutputInfo = { dtype: ctx.dtype(0), shape };
	const k = ctx.known(0);
	if (k && picks.length === axes.length && shape.every((d) => typeof d === 'number')) {
		const starts = k.dims.map(() => 0);
		const steps = k.dims.map(() => 1);
		for (const p of picks) {
			starts[p.axis] = p.start;
			steps[p.axis] = p.step;
		}
		out.value = gatherIndices(k, shape as number[], (coord) => coord.map((c, i) => starts[i] + c * steps[i]));
	}
	return [out];
};

/** Row-major strides of `dims`. */
function strides(dims: number[]): number[] {
	const out = dims.map(() => 1);
	for (let i = dims.length - 2; i >= 0; i--) out[i] = out[i + 1] * dims[i + 1];
	return out;
}

/** Folds a value whose element at output coordinate c is the input's element at `source(c)`. */
export function gatherIndices(k: KnownValue, shape: number[], source: (coord: number[]) => number[]): KnownValue | undefined {
	const n = shape.reduce((a, b) => a * b, 1);
	if (n > FOLD_LIMIT) return undefined;
	const inStrides = strides(k.dims);
	const outStrides = strides(shape);
	const values = Array.from({ length: n }, (_, flat) => {
		const coord = outStrides.map((s, i) => Math.floor(flat / s) % shape[i]);
		return k.values[source(coord).reduce((acc, c, i) => acc + c * inStrides[i], 0)];
	});
	return { dtype: k.dtype, dims: shape, values };
}

const pad: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const pads = ctx.opset < 11 ? attrInts(ctx.node, 'pads')! : needNumbers(ctx, 1, 'pads');
	const axes = (ctx.has(3) ? needNumbers(ctx, 3, 'axes') : x.map((_, i) => i)).map((a) => normAxis(a, x.length, ctx.node));
	const shape = [...x];
	axes.forEach((axis, j) => {
		shape[axis] = addDims(addDims(x[axis], pads[j]), pads[j + axes.length]);
	});
	return [{ dtype: ctx.dtype(0), shape }];
};

const gather: OpInfer = (ctx) => {
	const data = need(ctx, 0);
	const indices = need(ctx, 1);
	const axis = normAxis(attrInt(ctx.node, 'axis', 0), data.length, ctx.node);
	const shape = [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)];
	const out: OutputInfo = { dtype: ctx.dtype(0), shape };
	const k = ctx.known(0);
	const idx = ctx.known(1);
	const ids = idx && numbersOf(idx);
	if (k && ids && axis === 0 && shape.every((d) => typeof d === 'number')) {
		const block = k.dims.slice(1).reduce((a, b) => a * b, 1);
		const values = ids.flatMap((i) => {
			const r = i < 0 ? i + k.dims[0] : i;
			return k.values.slice(r * block, (r + 1) * block);
		});
		out.value = { dtype: k.dtype, dims: shape as number[], values };
	}
	return [out];
};

const shapeOp: OpInfer = (ctx) => {
	const x = need(ctx, 0);
	const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + x.length : v, 0), x.length);
	const start = clamp(attrInt(ctx.node, 'start', 0));
	const end = clamp(attrInt(ctx.node, 'end', x.length));
	const values = x.slice(start, Math.max(start, end));
	return [{ dtype: 'int64', shape: [values.length], value: { dtype: 'int64', dims: [values.length], values } }];
};

const size: OpInfer = (ctx) => {
	const n = product(need(ctx, 0));
	return [{ dtype: 'int64', shape: [], value: n === undefined ? undefined : { dtype: 'int64', dims: [], values: [n] } }];
};

/** Converts folded numbers to a dtype: truncation for integers, 0/1 for bool. */
function castValue(k: KnownValue, to: DType): KnownValue {
	const values = k.values.map((v) => {
		if (typeof v !== 'number') return v;
		if (to === 'bool') return v ? 1 : 0;
		return INTEGER_DTYPES.has(to) ? Math.trunc(v) : v;
	});
	return { dtype: to, dims: k.dims, values };
}

const cast: OpInfer = (ctx) => {
	const to = dtypeFromEnum(attrInt(ctx.node, 'to', 1), ctx.node);
	const k = ctx.known(0);
	return [{ dtype: to, shape: ctx.shape(0), value: k && castValue(k, to) }];
};

function tensorAttr(ctx: OpContext, name: string): Initializer | undefined {
	const a = ctx.node.attrs[name];
	return a?.type === 'tensor' ? a.value : undefined;
}

const constantOfShape: OpInfer = (ctx) => {
	const dims = needNumbers(ctx, 0, 'shape');
	const t = tensorAttr(ctx, 'value');
	const dtype: DType = t?.dtype ?? 'float32';
	const fill = (t && initializerValues(t)?.values[0]) ?? 0;
	const n = dims.reduce((a, b) => a * b, 1);
	return [{ dtype, shape: dims, value: n <= FOLD_LIMIT ? { dtype, dims, values: Array(n).fill(fill) } : undefined }];
};

const expand: OpInfer = (ctx) => {
	const k = ctx.known(1);
	if (!k) throw new ShapeError(`shape (${ctx.node.inputs[1]}) is not a constant`);
	return [{ dtype: ctx.dtype(0), shape: broadcastShapes(need(ctx, 0), k.values, ctx.node.name || 'Expand') }];
};

const tile: OpInfer = (ctx) => {
	const reps = needNumbers(ctx, 1, 'repeats');
	return [{ dtype: ctx.dtype(0), shape: need(ctx, 0).map((d, i) => (typeof d === 'number' ? d * reps[i] : reps[i] === 1 ? d : ctx.fresh(0, i))) }];
};

const range: OpInfer = (ctx) => {
	const [start] = needNumbers(ctx, 0, 'start');
	const [limit] = needNumbers(ctx, 1, 'limit');
	const [delta] = needNumbers(ctx, 2, 'delta');
	const n = Math.max(Math.ceil((limit - start) / delta), 0);
	const dtype = ctx.dtype(0);
	const value = n <= FOLD_LIMIT ? { dtype, dims: [n], values: Array.from({ length: n }, (_, i) => start + i * delta) } : undefined;
	return [{ dtype, shape: [n], value }];
};

const constant: OpInfer = (ctx) => {
	const a = ctx.node.attrs;
	const t = tensorAttr(ctx, 'value') ?? tensorAttr(ctx, 'sparse_value');
	if (t) return [{ dtype: t.dtype, shape: [...t.dims], value: initializerValues(t) }];
	const scalar = (dtype: DType, values: number[], dims: number[]): OutputInfo[] => [{ dtype, shape: dims, value: { dtype, dims, values } }];
	if (a.value_float?.type === 'float') return scalar('float32', [a.value_float.value], []);
	if (a.value_int?.type === 'int') return scalar('int64', [a.value_int.value], []);
	if (a.value_floats?.type === 'floats') return scalar('float32', a.value_floats.value, [a.value_floats.value.length]);
	if (a.value_ints?.type === 'ints') return scalar('int64', a.value_ints.value, [a.value_ints.value.length]);
	if (a.value_string) return [{ dtype: 'string', shape: [] }];
	if (a.value_strings?.type === 'strings') return [{ dtype: 'string', shape: [a.value_strings.value.length] }];
	throw new ShapeError(`${ctx.node.name || 'Constant'} has no value`);
};

/** Tensor plumbing ops: joining, cutting, padding, indexing, shapes and constants. */
export const tensorOps: Record<string, OpInfer> = {
	Concat: concat,
	Split: split,
	Slice: slice,
	Pad: pad,
	Gather: gather,
	Shape: shapeOp,
	Size: size,
	Cast: cast,
	ConstantOfShape: constantOfShape,
	Expand: expand,
	Tile: tile,
	Range: range,
	Constant: constant,
	NonZero: (ctx) => [{ dtype: 'int64', shape: [need(ctx, 0).length, ctx.fresh(0, 1)] }]
};
