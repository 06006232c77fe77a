/**
 * The TensorFlow ops of TF.js graph models, each mapped to ONNX (opset 13) ops on the builder.
 * Convolutions and pools produce NCHW values; element-wise ops follow their inputs' layout, with
 * per-channel constants reshaped to [C, 1, 1] for NCHW so no transpose is needed around them.
 */
import type { AttrValue } from '../../ir/types';
import { GraphBuilder, type Layout, TO_NCHW, type Value, float, int, ints, str } from './builder';
import type { Attrs, TfNode } from './graph-model';
import type { DecodedWeight } from './model-json';

/** NHWC axis → its position in NCHW. */
const NCHW_POSITION = [0, 2, 3, 1];

const BINARY: Record<string, string> = { Add: 'Add', AddV2: 'Add', BiasAdd: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div', Maximum: 'Max', Minimum: 'Min' };
const UNARY = new Set(['Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Sigmoid', 'Tanh']);

export class GraphOps {
	readonly values = new Map<string, Value>();
	private consts = new WeakMap<Value, DecodedWeight>();

	constructor(private b: GraphBuilder) {}

	/** A Const node: becomes an initializer only when (and in the layout) something reads it as data. */
	constant(name: string, w: DecodedWeight): void {
		const v: Value = { rank: w.shape.length };
		this.consts.set(v, w);
		this.values.set(name, v);
	}

	private constOf(v: Value, node: TfNode, what: string): DecodedWeight {
		const w = this.consts.get(v);
		if (!w) throw new Error(`the ${what} of '${node.name}' (${node.op}) is not a constant, which is not supported`);
		return w;
	}

	private intsOf(v: Value, node: TfNode, what: string): number[] {
		return Array.from(this.constOf(v, node, what).values as ArrayLike<number>, Number);
	}

	/** A constant can take the NCHW form of a rank-4 partner: scalars, [C] vectors, rank-4 tensors. */
	private fitsNchw(v: Value): boolean {
		const w = this.consts.get(v);
		return !!w && (w.shape.length <= 1 || w.shape.length === 4);
	}

	/** The value's name in `layout`, making a constant's initializer in that layout on first use. */
	data(v: Value, layout: Layout): string {
		const w = this.consts.get(v);
		if (w && !v[layout]) {
			if (layout === 'nhwc' || w.shape.length === 0) v[layout] = this.b.weight(w);
			else if (w.shape.length === 1) v[layout] = this.b.weight(w, undefined, [w.shape[0], 1, 1], `${w.name}/nchw`);
			else v[layout] = this.b.weight(w, TO_NCHW, undefined, `${w.name}/nchw`);
			return v[layout]!;
		}
		return this.b.get(v, layout);
	}

	private out(node: TfNode, layout: Layout, rank: number): { name: string; value: Value } {
		const name = this.b.claim(layout === 'nchw' ? `${node.name}/nchw` : node.name);
		return { name, value: { [layout]: name, rank } };
	}

	/** NCHW when a rank-4 operand exists only in NCHW and every other operand can follow it. */
	private layoutFor(xs: Value[]): Layout {
		const tensors = xs.filter((v) => !this.consts.has(v));
		if (!tensors.length || !tensors.some((v) => v.rank === 4 && v.nchw && !v.nhwc)) return 'nhwc';
		const ok = xs.every((v) => (this.consts.has(v) ? this.fitsNchw(v) : v.rank === 4));
		return ok ? 'nchw' : 'nhwc';
	}

	activation(node: TfNode, x: Value, kind: string, alpha: number): Value {
		const layout = this.layoutFor([x]);
		const { name, value } = this.out(node, layout, x.rank);
		const input = this.data(x, layout);
		if (kind === 'Relu6') this.b.emit('Clip', [input, this.b.floats(`${name}/min`, [0], []), this.b.floats(`${name}/max`, [6], [])], [name]);
		else if (kind === 'LeakyRelu') this.b.emit('LeakyRelu', [input], [name], { alpha: float(alpha) });
		else if (kind === 'Elu') this.b.emit('Elu', [input], [name], { alpha: float(1) });
		else if (kind === 'Relu' || kind === 'Sigmoid' || kind === 'Tanh') this.b.emit(kind, [input], [name]);
		else throw new Error(`activation '${kind}' of '${node.name}' is not supported`);
		return value;
	}

	private binary(node: TfNode, op: string, xs: Value[]): Value {
		const layout = this.layoutFor(xs);
		const { name, value } = this.out(node, layout, Math.max(...xs.map((v) => v.rank)));
		this.b.emit(op, xs.map((v) => this.data(v, layout)), [name]);
		return value;
	}

	private conv(node: TfNode, a: Attrs, x: Value, filter: Value, bias: Value | undefined, depthwise: boolean): Value {
		if (a.string('data_format', 'NHWC') !== 'NHWC') throw new Error(`'${node.name}' uses data_format ${a.string('data_format')}, which is not supported`);
		const f = this.constOf(filter, node, 'filter');
		const [kh, kw, cin, cout] = f.shape;
		// HWIO → OIHW; depthwise [kh, kw, C, M] → [C·M, 1, kh, kw], group C (output c·M + m in group c, as in ONNX).
		const w = depthwise ? this.b.weight(f, [2, 3, 0, 1], [cin * cout, 1, kh, kw]) : this.b.weight(f, [3, 2, 0, 1]);
		const s = a.ints('strides', [1, 1, 1, 1]);
		const d = a.ints('dilations', [1, 1, 1, 1]);
		const padding = a.string('padding', 'VALID');
		// explicit_paddings: [0, 0, top, bottom, left, right, 0, 0] → ONNX [top, left, bottom, right].
		const e = a.ints('explicit_paddings');
		const pad: Record<string, AttrValue> = padding === 'EXPLICIT' ? { pads: ints([e[2], e[4], e[3], e[5]]) } : { auto_pad: str(padding === 'SAME' ? 'SAME_UPPER' : 'VALID') };
		const { name, value } = this.out(node, 'nchw', 4);
		const inputs = [this.data(x, 'nchw'), w];
		if (bias) inputs.push(this.b.weight(this.constOf(bias, node, 'bias')));
		this.b.emit('Conv', inputs, [name], {
			...pad,
			strides: ints([s[1], s[2]]),
			dilations: ints([d[1], d[2]]),
			group: int(depthwise ? cin : 1),
			kernel_shape: ints([kh, kw])
		});
		return value;
	}

	private matmul(node: TfNode, a: Attrs, xs: Value[], bias: Value | undefined): Value {
		const [x, y] = xs;
		const { name, value } = this.out(node, 'nhwc', x.rank);
		const transA = a.bool('transpose_a');
		const transB = a.bool('transpose_b');
		if (x.rank === 2 && y.rank === 2) {
			const inputs = [this.data(x, 'nhwc'), this.data(y, 'nhwc'), ...(bias ? [this.data(bias, 'nhwc')] : [])];
			this.b.emit('Gemm', inputs, [name], { transA: int(transA ? 1 : 0), transB: int(transB ? 1 : 0) });
			return value;
		}
		if (transA || transB) throw new Error(`'${node.name}': a transposed MatMul of rank ${x.rank} is not supported`);
		if (!bias) this.b.emit('MatMul', [this.data(x, 'nhwc'), this.data(y, 'nhwc')], [name]);
		else {
			const mm = this.b.claim(`${node.name}/matmul`);
			this.b.emit('MatMul', [this.data(x, 'nhwc'), this.data(y, 'nhwc')], [mm]);
			this.b.emit('Add', [mm, this.data(bias, 'nhwc')], [name]);
		}
		return value;
	}

	/** The fused ops of FusedConv2D/_FusedMatMul: ['BiasAdd', activation?] → the bias and the activation. */
	private fused(node: TfNode, a: Attrs, xs: Value[]): { bias?: Value; act?: string; alpha: number } {
		const ops = a.strings('fused_ops');
		if (ops.some((o) => o !== 'BiasAdd' && !UNARY.has(o))) throw new Error(`'${node.name}' fuses ${ops.join(' + ')}, which is not supported`);
		const bias = ops[0] === 'BiasAdd' ? xs[2] : undefined;
		const act = ops.find((o) => UNARY.has(o));
		return { bias, act, alpha: a.float('leakyrelu_alpha', 0.2) };
	}

	private pool(node: TfNode, a: Attrs, x: Value, op: 'MaxPool' | 'AveragePool'): Value {
		const k = a.ints('ksize', [1, 1, 1, 1]);
		const s = a.ints('strides', [1, 1, 1, 1]);
		const { name, value } = this.out(node, 'nchw', 4);
		this.b.emit(op, [this.data(x, 'nchw')], [name], {
			auto_pad: str(a.string('padding', 'VALID') === 'SAME' ? 'SAME_UPPER' : 'VALID'),
			kernel_shape: ints([k[1], k[2]]),
			strides: ints([s[1], s[2]]),
			// TF averages over the window's in-image part only.
			...(op === 'AveragePool' ? { count_include_pad: int(0) } : {})
		});
		return value;
	}

	private pad(node: TfNode, xs: Value[]): Value {
		const [x, paddings, fill] = xs;
		const p = this.intsOf(paddings, node, 'paddings');
		const layout: Layout = x.rank === 4 && x.nchw && !x.nhwc ? 'nchw' : 'nhwc';
		const order = layout === 'nchw' ? TO_NCHW : [...Array(x.rank).keys()];
		const pads = [...order.map((axis) => p[2 * axis]), ...order.map((axis) => p[2 * axis + 1])];
		const { name, value } = this.out(node, layout, x.rank);
		const inputs = [this.data(x, layout), this.b.int64s(`${node.name}/pads`, pads)];
		if (fill) inputs.push(this.data(fill, 'nhwc'));
		this.b.emit('Pad', inputs, [name]);
		return value;
	}

	private mean(node: TfNode, a: Attrs, x: Value, axesValue: Value): Value {
		const axes = this.intsOf(axesValue, node, 'axes').map((k) => (k < 0 ? k + x.rank : k));
		const keep = a.bool('keep_dims');
		const kept = [...Array(x.rank).keys()].filter((k) => !axes.includes(k));
		// NCHW works when the kept axes come out in the same order either way: keep_dims, or C not kept beside H/W.
		const sameOrder = keep || !kept.includes(3) || !kept.some((k) => k === 1 || k === 2);
		const layout: Layout = x.rank === 4 && x.nchw && !x.nhwc && sameOrder ? 'nchw' : 'nhwc';
		const onnxAxes = layout === 'nchw' ? axes.map((k) => NCHW_POSITION[k]) : axes;
		const rank = keep ? x.rank : kept.length;
		const { name, value } = this.out(node, keep ? layout : 'nhwc', rank);
		this.b.emit('ReduceMean', [this.data(x, layout)], [name], { axes: ints(onnxAxes), keepdims: int(keep ? 1 : 0) });
		return value;
	}

	/** Converts one non-Const, non-Placeholder node given its data inputs. */
	convert(node: TfNode, a: Attrs, xs: Value[]): Value {
		const x = xs[0];
		const nhwc = (op: string, extra: string[], rank: number, attrs = {}) => {
			const { name, value } = this.out(node, 'nhwc', rank);
			this.b.emit(op, [this.data(x, 'nhwc'), ...extra], [name], attrs);
			return value;
		};
		if (BINARY[node.op]) return this.binary(node, BINARY[node.op], xs.slice(0, 2));
		if (UNARY.has(node.op)) return this.activation(node, x, node.op, a.float('alpha', 0.2));
		switch (node.op) {
			case 'Identity':
			case 'StopGradient':
			case 'Snapshot':
				return x;
			case 'Conv2D':
			case 'DepthwiseConv2dNative':
				return this.conv(node, a, x, xs[1], undefined, node.op !== 'Conv2D');
			case 'FusedConv2D':
			case '_FusedConv2D':
			case 'FusedDepthwiseConv2dNative': {
				const f = this.fused(node, a, xs);
				const y = this.conv(node, a, x, xs[1], f.bias, node.op === 'FusedDepthwiseConv2dNative');
				return f.act ? this.activation({ ...node, name: `${node.name}/${f.act}` }, y, f.act, f.alpha) : y;
			}
			case 'MatMul':
				return this.matmul(node, a, xs, undefined);
			case '_FusedMatMul': {
				const f = this.fused(node, a, xs);
				const y = this.matmul(node, a, xs, f.bias);
				return f.act ? this.activation({ ...node, name: `${node.name}/${f.act}` }, y, f.act, f.alpha) : y;
			}
			case 'MaxPool':
				return this.pool(node, a, x, 'MaxPool');
			case 'AvgPool':
				return this.pool(node, a, x, 'AveragePool');
			case 'Pad':
			case 'PadV2':
				return this.pad(node, xs);
			case 'Mean':
				return this.mean(node, a, x, xs[1]);
			case 'Reshape': {
				const shape = this.intsOf(xs[1], node, 'shape');
				return nhwc('Reshape', [this.b.int64s(`${node.name}/shape`, shape)], shape.length);
			}
			case 'ConcatV2': {
				const parts = xs.slice(0, -1);
				const axis = this.intsOf(xs[xs.length - 1], node, 'axis')[0];
				const nhwcAxis = axis < 0 ? axis + x.rank : axis;
				const layout = parts.every((v) => v.rank === 4) ? GraphBuilder.commonLayout(parts) : 'nhwc';
				const { name, value } = this.out(node, layout, x.rank);
				this.b.emit('Concat', parts.map((v) => this.data(v, layout)), [name], { axis: int(layout === 'nchw' ? NCHW_POSITION[nhwcAxis] : nhwcAxis) });
				return value;
			}
			case 'Softmax':
				return nhwc('Softmax', [], x.rank, { axis: int(-1) });
			case 'Squeeze': {
				const axes = a.ints('squeeze_dims', a.ints('axis'));
				if (!axes.length) throw new Error(`'${node.name}': Squeeze without squeeze_dims is not supported`);
				return nhwc('Squeeze', [this.b.int64s(`${node.name}/axes`, axes)], x.rank - axes.length);
			}
			case 'ExpandDims': {
				const axis = this.intsOf(xs[1], node, 'axis');
				return nhwc('Unsqueeze', [this.b.int64s(`${node.name}/axes`, axis)], x.rank + 1);
			}
			default:
				throw new Error(`TensorFlow op '${node.op}' (node '${node.name}') is not supported`);
		}
	}
}
