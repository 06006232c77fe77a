/**
 * TFLite builtin operators → ONNX (opset 13) nodes. Each converter reads its operator's inputs
 * through the subgraph context (which handles layout and quantization) and writes its outputs
 * where the context says. Convolutions and pools run in NCHW; everything else in TFLite's layout.
 */
import { type Layout, type SubgraphContext, float, int, ints, str } from './context';
import {
	type FusedActivation, type TfliteOperator, batchMatMulOptions, concatenationOptions, conv2DOptions, depthwiseOptions,
	fullyConnectedOptions, gatherOptions, leadingActivation, leakyReluOptions, pool2DOptions, reducerOptions,
	reshapeOptions, softmaxOptions, squeezeOptions
} from './schema';

export type Converter = (ctx: SubgraphContext, op: TfliteOperator) => void;

const input = (op: TfliteOperator, k: number) => op.inputs[k] ?? -1;
const rankOf = (ctx: SubgraphContext, i: number) => ctx.tensor(i).shape.length;
const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

function unary(onnxOp: string, attrs = {}): Converter {
	return (ctx, op) => elementwise(ctx, op, onnxOp, 'NONE', attrs);
}

/** Whether tensor `i` is a constant of at most one element, which broadcasts the same in any layout. */
function scalarConst(ctx: SubgraphContext, i: number): boolean {
	return ctx.isConst(i) && ctx.tensor(i).shape.reduce((a, b) => a * b, 1) <= 1;
}

/**
 * An element-wise op. It stays in NCHW when its tensor operands exist only in NCHW and every other
 * operand is a scalar constant, so activations between convolutions need no transposes.
 */
function elementwise(ctx: SubgraphContext, op: TfliteOperator, onnxOp: string, activation: FusedActivation, attrs = {}): void {
	const operands = op.inputs.filter((i) => i >= 0);
	const tensors = operands.filter((i) => !scalarConst(ctx, i));
	const layout: Layout = tensors.length > 0 && tensors.every((i) => ctx.onlyNchw(i) && rankOf(ctx, i) === 4) ? 'nchw' : 'nhwc';
	const names = op.inputs.map((i) => (i < 0 ? '' : scalarConst(ctx, i) ? ctx.value(i) : ctx.value(i, layout)));
	ctx.emit(onnxOp, names, [ctx.output(op.outputs[0], layout, activation)], attrs);
}

function binary(onnxOp: string, fused = true): Converter {
	return (ctx, op) => elementwise(ctx, op, onnxOp, fused ? leadingActivation(op.options) : 'NONE');
}

const OHWI_TO_OIHW = [0, 3, 1, 2];

const conv: Converter = (ctx, op) => {
	const o = conv2DOptions(op.options);
	const w = ctx.weight(input(op, 1), OHWI_TO_OIHW);
	const inputs = [ctx.value(input(op, 0), 'nchw'), w];
	if (input(op, 2) >= 0) inputs.push(ctx.weight(input(op, 2)));
	ctx.emit('Conv', inputs, [ctx.output(op.outputs[0], 'nchw', o.activation)], {
		auto_pad: str(o.padding === 'SAME' ? 'SAME_UPPER' : 'VALID'),
		strides: ints([o.strideH, o.strideW]),
		dilations: ints([o.dilationH, o.dilationW]),
		group: int(1)
	});
};

const depthwise: Converter = (ctx, op) => {
	const o = depthwiseOptions(op.options);
	const [, kh, kw, channels] = ctx.tensor(input(op, 1)).shape;
	// TFLite [1, H, W, C·M] → ONNX [C·M, 1, H, W]: a plain transpose, then group = C.
	const w = ctx.weight(input(op, 1), [3, 0, 1, 2]);
	const inputs = [ctx.value(input(op, 0), 'nchw'), w];
	if (input(op, 2) >= 0) inputs.push(ctx.weight(input(op, 2)));
	ctx.emit('Conv', inputs, [ctx.output(op.outputs[0], 'nchw', o.activation)], {
		auto_pad: str(o.padding === 'SAME' ? 'SAME_UPPER' : 'VALID'),
		strides: ints([o.strideH, o.strideW]),
		dilations: ints([o.dilationH, o.dilationW]),
		group: int(channels / Math.max(1, o.depthMultiplier)),
		kernel_shape: ints([kh, kw])
	});
};

function pool(onnxOp: 'MaxPool' | 'AveragePool'): Converter {
	return (ctx, op) => {
		const o = pool2DOptions(op.options);
		const attrs = {
			auto_pad: str(o.padding === 'SAME' ? 'SAME_UPPER' : 'VALID'),
			kernel_shape: ints([o.filterH, o.filterW]),
			strides: ints([o.strideH, o.strideW]),
			// TFLite averages over the valid (unpadded) cells only.
			...(onnxOp === 'AveragePool' ? { count_include_pad: int(0) } : {})
		};
		ctx.emit(onnxOp, [ctx.value(input(op, 0), 'nchw')], [ctx.output(op.outputs[0], 'nchw', o.activation)], attrs);
	};
}

/** FULLY_CONNECTED: y = x·Wᵀ + b with W [units, in]; flattens x to [-1, in] unless keep_num_dims. */
const fullyConnected: Converter = (ctx, op) => {
	const o = fullyConnectedOptions(op.options);
	if (o.weightsFormat !== 0) throw new Error('shuffled FULLY_CONNECTED weights are not supported');
	const wIndex = input(op, 1);
	const depth = ctx.tensor(wIndex).shape[1];
	let x = ctx.value(input(op, 0));
	const xRank = rankOf(ctx, input(op, 0));
	const w = ctx.weight(wIndex);
	const b = input(op, 2) >= 0 ? ctx.weight(input(op, 2)) : '';
	if (o.keepNumDims && xRank !== 2) {
		const wt = ctx.names.claim(`${w}/transposed`);
		ctx.emit('Transpose', [w], [wt], { perm: ints([1, 0]) });
		const out = ctx.output(op.outputs[0], 'nhwc', o.activation);
		if (!b) ctx.emit('MatMul', [x, wt], [out]);
		else {
			const mm = ctx.names.claim(`${out}/matmul`);
			ctx.emit('MatMul', [x, wt], [mm]);
			ctx.emit('Add', [mm, b], [out]);
		}
		return;
	}
	if (xRank !== 2 || ctx.tensor(input(op, 0)).shape[1] !== depth) {
		const flat = ctx.names.claim(`${x}/flattened`);
		ctx.emit('Reshape', [x, ctx.int64s(`${flat}/shape`, [-1, depth])], [flat]);
		x = flat;
	}
	const out = ctx.output(op.outputs[0], 'nhwc', o.activation);
	ctx.emit('Gemm', b ? [x, w, b] : [x, w], [out], { transB: int(1) });
};

const reshape: Converter = (ctx, op) => {
	const shapeIndex = input(op, 1);
	let shape: string;
	if (shapeIndex >= 0 && ctx.isConst(shapeIndex)) shape = ctx.int64s(`${ctx.tensor(op.outputs[0]).name}/shape`, ctx.constInts(shapeIndex));
	else if (shapeIndex >= 0) {
		shape = ctx.names.claim(`${ctx.tensor(shapeIndex).name}/int64`);
		ctx.emit('Cast', [ctx.value(shapeIndex)], [shape], { to: int(7) });
	} else shape = ctx.int64s(`${ctx.tensor(op.outputs[0]).name}/shape`, reshapeOptions(op.options).newShape);
	ctx.emit('Reshape', [ctx.value(input(op, 0)), shape], [ctx.output(op.outputs[0])]);
};

/** Ops whose second input is a constant axis list: REDUCE_*, MEAN, SUM. */
function reduce(onnxOp: string, axesAsInput = false): Converter {
	return (ctx, op) => {
		const rank = rankOf(ctx, input(op, 0));
		const axes = ctx.constInts(input(op, 1)).map((a) => normAxis(a, rank));
		const keepdims = int(reducerOptions(op.options).keepDims ? 1 : 0);
		const x = ctx.value(input(op, 0));
		const out = ctx.output(op.outputs[0]);
		if (axesAsInput) ctx.emit(onnxOp, [x, ctx.int64s(`${out}/axes`, axes)], [out], { keepdims });
		else ctx.emit(onnxOp, [x], [out], { keepdims, axes: ints(axes) });
	};
}

const ONNX_DTYPE: Record<string, number> = { float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, bool: 9, float16: 10, float64: 11 };

export const CONVERTERS: Record<string, Converter> = {
	ADD: binary('Add'),
	SUB: binary('Sub'),
	MUL: binary('Mul'),
	DIV: binary('Div'),
	MAXIMUM: binary('Max', false),
	MINIMUM: binary('Min', false),
	POW: binary('Pow', false),
	LOGISTIC: unary('Sigmoid'),
	TANH: unary('Tanh'),
	RELU: unary('Relu'),
	EXP: unary('Exp'),
	LOG: unary('Log'),
	SQRT: unary('Sqrt'),
	ABS: unary('Abs'),
	NEG: unary('Neg'),
	FLOOR: unary('Floor'),
	RELU6: (ctx, op) => ctx.activation('RELU6', ctx.value(input(op, 0)), ctx.output(op.outputs[0])),
	RELU_N1_TO_1: (ctx, op) => ctx.activation('RELU_N1_TO_1', ctx.value(input(op, 0)), ctx.output(op.outputs[0])),
	LEAKY_RELU: (ctx, op) => elementwise(ctx, op, 'LeakyRelu', 'NONE', { alpha: float(leakyReluOptions(op.options).alpha) }),
	RSQRT: (ctx, op) => {
		const x = ctx.value(input(op, 0));
		const root = ctx.names.claim(`${ctx.tensor(op.outputs[0]).name}/sqrt`);
		ctx.emit('Sqrt', [x], [root]);
		ctx.emit('Reciprocal', [root], [ctx.output(op.outputs[0])]);
	},
	SQUARE: (ctx, op) => {
		const x = ctx.value(input(op, 0));
		ctx.emit('Mul', [x, x], [ctx.output(op.outputs[0])]);
	},
	GREATER: binary('Greater', false),
	GREATER_EQUAL: binary('GreaterOrEqual', false),
	LESS: binary('Less', false),
	LESS_EQUAL: binary('LessOrEqual', false),
	EQUAL: binary('Equal', false),
	CONV_2D: conv,
	DEPTHWISE_CONV_2D: depthwise,
	MAX_POOL_2D: pool('MaxPool'),
	AVERAGE_POOL_2D: pool('AveragePool'),
	FULLY_CONNECTED: fullyConnected,
	RESHAPE: reshape,
	REDUCE_MAX: reduce('ReduceMax'),
	REDUCE_MIN: reduce('ReduceMin'),
	MEAN: reduce('ReduceMean'),
	SUM: reduce('ReduceSum', true),
	SOFTMAX: (ctx, op) => {
		const { beta } = softmaxOptions(op.options);
		let x = ctx.value(input(op, 0));
		if (beta !== 1) {
			const scaled = ctx.names.claim(`${x}/beta`);
			ctx.emit('Mul', [x, ctx.floats(`${scaled}/value`, [beta], [])], [scaled]);
			x = scaled;
		}
		ctx.emit('Softmax', [x], [ctx.output(op.outputs[0])], { axis: int(-1) });
	},
	CONCATENATION: (ctx, op) => {
		const o = concatenationOptions(op.options);
		const names = op.inputs.map((i) => ctx.value(i));
		ctx.emit('Concat', names, [ctx.output(op.outputs[0], 'nhwc', o.activation)], { axis: int(normAxis(o.axis, rankOf(ctx, op.outputs[0]))) });
	},
	EXPAND_DIMS: (ctx, op) => {
		const rank = rankOf(ctx, op.outputs[0]);
		const axes = ctx.constInts(input(op, 1)).map((a) => normAxis(a, rank));
		const out = ctx.output(op.outputs[0]);
		ctx.emit('Unsqueeze', [ctx.value(input(op, 0)), ctx.int64s(`${out}/axes`, axes)], [out]);
	},
	SQUEEZE: (ctx, op) => {
		const rank = rankOf(ctx, input(op, 0));
		const dims = squeezeOptions(op.options).squeezeDims.map((a) => normAxis(a, rank));
		const out = ctx.output(op.outputs[0]);
		ctx.emit('Squeeze', dims.length ? [ctx.value(input(op, 0)), ctx.int64s(`${out}/axes`, dims)] : [ctx.value(input(op, 0))], [out]);
	},
	TRANSPOSE: (ctx, op) => {
		ctx.emit('Transpose', [ctx.value(input(op, 0))], [ctx.output(op.outputs[0])], { perm: ints(ctx.constInts(input(op, 1))) });
	},
	PAD: (ctx, op) => {
		const pairs = ctx.constInts(input(op, 1));
		const before = pairs.filter((_, k) => k % 2 === 0);
		const after = pairs.filter((_, k) => k % 2 === 1);
		const out = ctx.output(op.outputs[0]);
		ctx.emit('Pad', [ctx.value(input(op, 0)), ctx.int64s(`${out}/pads`, [...before, ...after])], [out]);
	},
	BATCH_MATMUL: (ctx, op) => {
		const { adjX, adjY } = batchMatMulOptions(op.options);
		const operand = (k: number, adjoint: boolean) => {
			const name = ctx.isConst(input(op, k)) ? ctx.weight(input(op, k)) : ctx.value(input(op, k));
			if (!adjoint) return name;
			const rank = rankOf(ctx, input(op, k));
			const t = ctx.names.claim(`${name}/adjoint`);
			const perm = [...Array(rank).keys()];
			[perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
			ctx.emit('Transpose', [name], [t], { perm: ints(perm) });
			return t;
		};
		ctx.emit('MatMul', [operand(0, adjX), operand(1, adjY)], [ctx.output(op.outputs[0])]);
	},
	GATHER: (ctx, op) => {
		const { axis, batchDims } = gatherOptions(op.options);
		if (batchDims) throw new Error('GATHER with batch_dims is not supported');
		ctx.emit('Gather', [ctx.value(input(op, 0)), ctx.value(input(op, 1))], [ctx.output(op.outputs[0])], { axis: int(axis) });
	},
	CAST: (ctx, op) => {
		const to = ONNX_DTYPE[ctx.tensor(op.outputs[0]).type];
		if (!to) throw new Error(`CAST to ${ctx.tensor(op.outputs[0]).type} is not supported`);
		ctx.emit('Cast', [ctx.value(input(op, 0))], [ctx.output(op.outputs[0])], { to: int(to) });
	},
	// In the real-valued view a (de)quantize is the identity; the output's own QDQ pair (if any) rounds.
	QUANTIZE: (ctx, op) => ctx.emit('Identity', [ctx.value(input(op, 0))], [ctx.output(op.outputs[0])]),
	DEQUANTIZE: (ctx, op) => {
		const x = ctx.tensor(input(op, 0));
		if (x.type === 'float16') ctx.emit('Cast', [ctx.value(input(op, 0))], [ctx.output(op.outputs[0])], { to: int(1) });
		else ctx.emit('Identity', [ctx.value(input(op, 0))], [ctx.output(op.outputs[0])]);
	}
};

