import type { Dim, DType } from '../ir/types';
import { ShapeError, type KnownValue, type OpContext, type OpInfer, type OutputInfo } from './types';
import { FOLD_LIMIT, INTEGER_DTYPES, numbersOf, product } from './util';

/**
 * Multidirectional (numpy) broadcasting of two shapes: align from the right, a 1 stretches. Two
 * different symbolic names are assumed equal (the file says they broadcast); the first is kept.
 */
export function broadcastShapes(a: Dim[], b: Dim[], where = 'broadcast'): Dim[] {
	const rank = Math.max(a.length, b.length);
	const out: Dim[] = [];
	for (let i = 0; i < rank; i++) {
		const x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
		const y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
		if (x === y || y === 1) out.push(x);
		else if (x === 1) out.push(y);
		else if (typeof x === 'number' && typeof y === 'number') {
			throw new ShapeError(`${where}: cannot broadcast [${a}] with [${b}]`);
		} else out.push(typeof x === 'number' ? x : y);
	}
	return out;
}

/** Folds an elementwise function over broadcast operands when every value is known and small. */
function foldBroadcast(operands: (KnownValue | undefined)[], shape: Dim[], dtype: DType, fn: (xs: number[]) => number): KnownValue | undefined {
	const n = product(shape);
	if (n === undefined || n > FOLD_LIMIT) return undefined;
	const nums = operands.map((k) => (k ? numbersOf(k) : undefined));
	if (nums.some((v) => v === undefined)) return undefined;
	const dims = shape as number[];
	const values: number[] = [];
	const isInt = INTEGER_DTYPES.has(dtype);
	for (let flat = 0; flat < n; flat++) {
		const args = operands.map((k, j) => {
			let idx = 0;
			let stride = 1;
			let rem = flat;
			const kd = k!.dims;
			for (let ax = dims.length - 1; ax >= 0; ax--) {
				const coord = rem % dims[ax];
				rem = Math.floor(rem / dims[ax]);
				const kax = ax - (dims.length - kd.length);
				if (kax < 0) continue;
				if (kd[kax] !== 1) idx += coord * stride;
				stride *= kd[kax];
			}
			return nums[j]![idx];
		});
		const v = fn(args);
		values.push(isInt && dtype !== 'bool' ? Math.trunc(v) : v);
	}
	return { dtype, dims: [...dims], values };
}

function variadic(dtypeOf: (ctx: OpContext) => DType, fn?: (xs: number[]) => number, from = 0): OpInfer {
	return (ctx) => {
		let shape: Dim[] | null = [];
		const operands: (KnownValue | undefined)[] = [];
		for (let i = from; i < ctx.node.inputs.length; i++) {
			if (!ctx.has(i)) continue;
			const s = ctx.shape(i);
			shape = shape === null || s === null ? null : broadcastShapes(shape, s, ctx.node.name || ctx.node.opType);
			operands.push(ctx.known(i));
		}
		const dtype = dtypeOf(ctx);
		const out: OutputInfo = { dtype, shape };
		if (fn && shape) out.value = foldBroadcast(operands, shape, dtype, fn);
		return [out];
	};
}

const first = (ctx: OpContext) => ctx.dtype(0);
const bool = (): DType => 'bool';

/** Elementwise operators with broadcasting (and folding for the ones shape chains use). */
export const elementwiseOps: Record<string, OpInfer> = {
	Add: variadic(first, ([a, b]) => a + b),
	Sub: variadic(first, ([a, b]) => a - b),
	Mul: variadic(first, ([a, b]) => a * b),
	Div: variadic(first, ([a, b]) => a / b),
	Pow: variadic(first, ([a, b]) => a ** b),
	Mod: variadic(first, ([a, b]) => a % b),
	Max: variadic(first, (xs) => Math.max(...xs)),
	Min: variadic(first, (xs) => Math.min(...xs)),
	Sum: variadic(first, (xs) => xs.reduce((a, b) => a + b, 0)),
	Mean: variadic(first),
	PRelu: variadic(first),
	BitShift: variadic(first),
	Equal: variadic(bool, ([a, b]) => Number(a === b)),
	Less: variadic(bool, ([a, b]) => Number(a < b)),
	LessOrEqual: variadic(bool, ([a, b]) => Number(a <= b)),
	Greater: variadic(bool, ([a, b]) => Number(a > b)),
	GreaterOrEqual: variadic(bool, ([a, b]) => Number(a >= b)),
	And: variadic(bool, ([a, b]) => Number(a && b)),
	Or: variadic(bool, ([a, b]) => Number(a || b)),
	Xor: variadic(bool, ([a, b]) => Number(Boolean(a) !== Boolean(b))),
	Where: variadic((ctx) => ctx.dtype(1), ([c, a, b]) => (c ? a : b))
};

function unary(fn?: (x: number) => number, dtypeOf: (ctx: OpContext) => DType = first): OpInfer {
	return (ctx) => {
		const shape = ctx.shape(0);
		const dtype = dtypeOf(ctx);
		const out: OutputInfo = { dtype, shape };
		const k = ctx.known(0);
		const nums = k && numbersOf(k);
		if (fn && k && nums) out.value = { dtype, dims: k.dims, values: nums.map(fn) };
		return [out];
	};
}

const SAME_SHAPE = [
	'Relu', 'Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'LeakyRelu', 'Log', 'Exp', 'Sqrt', 'Erf', 'Elu',
	'Selu', 'Softplus', 'Softsign', 'Gelu', 'Sin', 'Cos', 'Reciprocal', 'Softmax', 'LogSoftmax', 'Hardmax',
	'Clip', 'Mish', 'Celu', 'ThresholdedRelu', 'Shrink', 'LRN', 'InstanceNormalization',
	'LpNormalization', 'MeanVarianceNormalization'
];

export const unaryOps: Record<string, OpInfer> = {
	...Object.fromEntries(SAME_SHAPE.map((op) => [op, unary()])),
	Neg: unary((x) => -x),
	Abs: unary(Math.abs),
	Floor: unary(Math.floor),
	Ceil: unary(Math.ceil),
	Round: unary((x) => {
		// ONNX rounds half to even.
		const r = Math.round(x);
		return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
	}),
	Sign: unary(Math.sign),
	Not: unary((x) => Number(!x), bool),
	IsNaN: unary(undefined, bool),
	IsInf: unary(undefined, bool),
	CastLike: unary((x) => x, (ctx) => ctx.dtype(1)),
	BatchNormalization: (ctx) => {
		const x = { dtype: ctx.dtype(0), shape: ctx.shape(0) };
		const stats = { dtype: ctx.dtype(3), shape: ctx.shape(3) };
		return [x, ...ctx.node.outputs.slice(1).map(() => stats)];
	},
	LayerNormalization: (ctx) => {
		const x = { dtype: ctx.dtype(0), shape: ctx.shape(0) };
		return [x, ...ctx.node.outputs.slice(1).map(() => ({ dtype: 'float32' as DType, shape: null }))];
	},
	Dropout: (ctx) => [{ dtype: ctx.dtype(0), shape: ctx.shape(0) }, { dtype: 'bool', shape: ctx.shape(0) }]
};
