/**
 * TF.js layers models (Keras topology in model.json) → IR graph with ONNX (opset 13) ops.
 * Sequential and functional models; channels-last layers; the weights of layer L are found as
 * `L/kernel`, `L/bias`, `L/gamma`… in the manifest. Activations become their own ops.
 */
import type { Dim, Graph, TensorInfo } from '../../ir/types';
import { GraphBuilder, type Layout, type Value, float, int, ints, str } from './builder';
import type { DecodedWeight } from './model-json';

interface LayerJson {
	class_name: string;
	name?: string;
	config: Record<string, unknown> & { name?: string };
	inbound_nodes?: unknown[];
}

type Config = Record<string, unknown>;

/** The Keras model config, whether model.json came from tfjs (`class_name` at the top) or the converter (`model_config`). */
export function kerasConfig(topology: Record<string, unknown>): { className: string; config: Config } {
	const top = (topology.model_config as Record<string, unknown> | undefined) ?? topology;
	if (typeof top.class_name !== 'string' || typeof top.config !== 'object') throw new Error('modelTopology has no Keras "class_name" and "config"');
	return { className: top.class_name, config: top.config as Config };
}

/** Names of the layers that feed a functional layer, from either inbound-node encoding. */
function inboundNames(layer: LayerJson): string[] {
	const nodes = layer.inbound_nodes ?? [];
	if (nodes.length > 1) throw new Error(`layer '${layer.config.name}' is shared (called ${nodes.length} times), which is not supported`);
	const first = nodes[0];
	if (!first) return [];
	if (Array.isArray(first)) return first.map((entry) => String((entry as unknown[])[0]));
	// Keras 3: { args: [ { class_name: '__keras_tensor__', config: { keras_history: [name, node, tensor] } }, … ] }
	const names: string[] = [];
	const walk = (x: unknown) => {
		if (Array.isArray(x)) x.forEach(walk);
		else if (x && typeof x === 'object') {
			const history = (x as { config?: { keras_history?: unknown[] } }).config?.keras_history;
			if (history) names.push(String(history[0]));
			else Object.values(x).forEach(walk);
		}
	};
	walk((first as { args?: unknown }).args ?? first);
	return names;
}

const pair = (v: unknown, fallback: number): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : v == null ? [fallback, fallback] : [Number(v), Number(v)]);

export class LayersConverter {
	readonly b = new GraphBuilder();
	readonly values = new Map<string, Value>();
	readonly inputs: TensorInfo[] = [];

	constructor(private weights: Map<string, DecodedWeight>) {}

	weight(layer: string, field: string, required = true): DecodedWeight | undefined {
		const exact = this.weights.get(`${layer}/${field}`);
		if (exact) return exact;
		for (const [name, w] of this.weights) if (name.startsWith(`${layer}/`) && (name.endsWith(`/${field}`) || name.endsWith(`/${field}:0`))) return w;
		if (required) throw new Error(`layer '${layer}' needs weight '${layer}/${field}', which the weightsManifest does not list`);
		return undefined;
	}

	input(name: string, batchShape: unknown[], dtype: string): void {
		const shape: Dim[] = batchShape.map((d, k) => (d == null ? (k === 0 ? 'batch' : `${name}_d${k}`) : Number(d)));
		const irName = this.b.claim(name);
		this.inputs.push({ name: irName, dtype: dtype === 'int32' ? 'int32' : 'float32', shape });
		this.values.set(name, { nhwc: irName, rank: shape.length });
	}

	private out(name: string, layout: Layout, rank: number): { name: string; value: Value } {
		const irName = this.b.claim(layout === 'nchw' ? `${name}/nchw` : name);
		return { name: irName, value: { [layout]: irName, rank } };
	}

	/** Applies a Keras activation by name, returning the new value (or `v` for 'linear'). */
	activation(v: Value, kind: string, layer: string): Value {
		if (!kind || kind === 'linear') return v;
		const layout: Layout = kind === 'softmax' ? 'nhwc' : GraphBuilder.commonLayout([v]);
		const x = this.b.get(v, layout);
		const { name, value } = this.out(`${layer}/${kind}`, layout, v.rank);
		const simple: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'Elu', selu: 'Selu', softplus: 'Softplus', softsign: 'Softsign' };
		if (simple[kind]) this.b.emit(simple[kind], [x], [name]);
		else if (kind === 'relu6') this.b.emit('Clip', [x, this.b.floats(`${name}/min`, [0], []), this.b.floats(`${name}/max`, [6], [])], [name]);
		else if (kind === 'softmax') this.b.emit('Softmax', [x], [name], { axis: int(-1) });
		else if (kind === 'hard_sigmoid') this.b.emit('HardSigmoid', [x], [name], { alpha: float(0.2), beta: float(0.5) });
		else if (kind === 'swish' || kind === 'silu') {
			const s = this.b.claim(`${name}/sigmoid`);
			this.b.emit('Sigmoid', [x], [s]);
			this.b.emit('Mul', [x, s], [name]);
		} else throw new Error(`activation '${kind}' of layer '${layer}' is not supported`);
		return value;
	}

	private conv(layer: string, c: Config, x: Value, w: string, bias: string | undefined, group: number, kernel: [number, number]): Value {
		const { name, value } = this.out(layer, 'nchw', 4);
		const [sh, sw] = pair(c.strides, 1);
		const [dh, dw] = pair(c.dilation_rate, 1);
		this.b.emit('Conv', [this.b.get(x, 'nchw'), w, ...(bias ? [bias] : [])], [name], {
			auto_pad: str(c.padding === 'same' ? 'SAME_UPPER' : 'VALID'),
			strides: ints([sh, sw]),
			dilations: ints([dh, dw]),
			group: int(group),
			kernel_shape: ints(kernel)
		});
		return value;
	}

	private depthwise(layer: string, c: Config, x: Value, hint = layer): Value {
		const k = this.weight(layer, 'depthwise_kernel')!;
		const [kh, kw, channels, multiplier] = k.shape;
		// [kh, kw, C, M] → [C·M, 1, kh, kw]: output channel c·M + m belongs to group c, as in ONNX.
		const w = this.b.weight(k, [2, 3, 0, 1], [channels * multiplier, 1, kh, kw]);
		const bias = hint === layer && c.use_bias !== false ? this.b.weight(this.weight(layer, 'bias')!) : undefined;
		return this.conv(hint, { ...c, dilation_rate: c.dilation_rate }, x, w, bias, channels, [kh, kw]);
	}

	private pool(layer: string, c: Config, x: Value, op: 'MaxPool' | 'AveragePool'): Value {
		const { name, value } = this.out(layer, 'nchw', 4);
		const [ph, pw] = pair(c.pool_size, 2);
		const [sh, sw] = c.strides == null ? [ph, pw] : pair(c.strides, ph);
		this.b.emit(op, [this.b.get(x, 'nchw')], [name], {
			auto_pad: str(c.padding === 'same' ? 'SAME_UPPER' : 'VALID'),
			kernel_shape: ints([ph, pw]),
			strides: ints([sh, sw]),
			...(op === 'AveragePool' ? { count_include_pad: int(0) } : {})
		});
		return value;
	}

	private elementwise(layer: string, op: string, xs: Value[]): Value {
		const layout = GraphBuilder.commonLayout(xs);
		const { name, value } = this.out(layer, layout, Math.max(...xs.map((v) => v.rank)));
		const names = xs.map((v) => this.b.get(v, layout));
		if (op === 'Average') {
			const sum = this.b.claim(`${name}/sum`);
			this.b.emit('Sum', names, [sum]);
			this.b.emit('Div', [sum, this.b.floats(`${name}/count`, [xs.length], [])], [name]);
		} else this.b.emit(op, names, [name]);
		return value;
	}

	/** Converts one layer given its input values; returns its output value. */
	layer(l: LayerJson, xs: Value[]): Value {
		const c = l.config;
		const name = String(c.name ?? l.name);
		const x = xs[0];
		const one = (op: string, attrs = {}, layout: Layout = 'nhwc', extra: string[] = []) => {
			const { name: o, value } = this.out(name, layout, x.rank);
			this.b.emit(op, [this.b.get(x, layout), ...extra], [o], attrs);
			return value;
		};
		switch (l.class_name) {
			case 'Conv2D': {
				if (c.data_format === 'channels_first') throw new Error(`layer '${name}' is channels_first, which is not supported`);
				const k = this.weight(name, 'kernel')!;
				const w = this.b.weight(k, [3, 2, 0, 1]);
				const bias = c.use_bias !== false ? this.b.weight(this.weight(name, 'bias')!) : undefined;
				const group = Number(c.groups ?? 1);
				return this.activation(this.conv(name, c, x, w, bias, group, [k.shape[0], k.shape[1]]), String(c.activation ?? 'linear'), name);
			}
			case 'DepthwiseConv2D':
				return this.activation(this.depthwise(name, c, x), String(c.activation ?? 'linear'), name);
			case 'SeparableConv2D': {
				const dw = this.depthwise(name, c, x, `${name}/depthwise`);
				const pk = this.weight(name, 'pointwise_kernel')!;
				const pw = this.b.weight(pk, [3, 2, 0, 1]);
				const bias = c.use_bias !== false ? this.b.weight(this.weight(name, 'bias')!) : undefined;
				const y = this.conv(name, { strides: 1, padding: 'valid' }, dw, pw, bias, 1, [1, 1]);
				return this.activation(y, String(c.activation ?? 'linear'), name);
			}
			case 'Dense': {
				const k = this.weight(name, 'kernel')!;
				const w = this.b.weight(k);
				const bias = c.use_bias !== false ? this.b.weight(this.weight(name, 'bias')!) : undefined;
				const { name: o, value } = this.out(name, 'nhwc', x.rank);
				const input = this.b.get(x, 'nhwc');
				if (x.rank === 2) this.b.emit('Gemm', [input, w, ...(bias ? [bias] : [])], [o]);
				else if (!bias) this.b.emit('MatMul', [input, w], [o]);
				else {
					const mm = this.b.claim(`${name}/matmul`);
					this.b.emit('MatMul', [input, w], [mm]);
					this.b.emit('Add', [mm, bias], [o]);
				}
				return this.activation(value, String(c.activation ?? 'linear'), name);
			}
			case 'BatchNormalization': {
				const axis = Array.isArray(c.axis) ? Number(c.axis[0]) : Number(c.axis ?? -1);
				if (axis !== -1 && axis !== x.rank - 1) throw new Error(`layer '${name}' normalizes axis ${axis}; only the channel (last) axis is supported`);
				const mean = this.weight(name, 'moving_mean')!;
				const channels = mean.shape[0];
				const gamma = c.scale !== false ? this.b.weight(this.weight(name, 'gamma')!) : this.b.floats(`${name}/gamma`, new Float32Array(channels).fill(1));
				const beta = c.center !== false ? this.b.weight(this.weight(name, 'beta')!) : this.b.floats(`${name}/beta`, new Float32Array(channels));
				const params = [gamma, beta, this.b.weight(mean), this.b.weight(this.weight(name, 'moving_variance')!)];
				if (x.rank !== 2 && x.rank !== 4) throw new Error(`layer '${name}' normalizes a rank-${x.rank} tensor; only rank 2 and 4 are supported`);
				return one('BatchNormalization', { epsilon: float(Number(c.epsilon ?? 1e-3)) }, x.rank === 4 ? 'nchw' : 'nhwc', params);
			}
			case 'Activation':
				return this.activation(x, String(c.activation), name);
			case 'ReLU': {
				if (c.max_value == null && !c.negative_slope && !c.threshold) return this.activation(x, 'relu', name);
				if (Number(c.max_value) === 6 && !c.negative_slope && !c.threshold) return this.activation(x, 'relu6', name);
				throw new Error(`layer '${name}': ReLU with negative_slope or threshold is not supported`);
			}
			case 'LeakyReLU':
				return one('LeakyRelu', { alpha: float(Number(c.alpha ?? c.negative_slope ?? 0.3)) }, GraphBuilder.commonLayout([x]));
			case 'Softmax':
				return this.activation(x, 'softmax', name);
			case 'MaxPooling2D':
				return this.pool(name, c, x, 'MaxPool');
			case 'AveragePooling2D':
				return this.pool(name, c, x, 'AveragePool');
			case 'GlobalAveragePooling2D':
			case 'GlobalMaxPooling2D': {
				const pooled = this.b.claim(`${name}/pooled`);
				this.b.emit(l.class_name === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool', [this.b.get(x, 'nchw')], [pooled]);
				if (c.keepdims) return { nchw: pooled, rank: 4 };
				const { name: o, value } = this.out(name, 'nhwc', 2);
				this.b.emit('Flatten', [pooled], [o], { axis: int(1) });
				return value;
			}
			case 'Flatten': {
				const { name: o, value } = this.out(name, 'nhwc', 2);
				this.b.emit('Flatten', [this.b.get(x, 'nhwc')], [o], { axis: int(1) });
				return value;
			}
			case 'Reshape': {
				const target = (c.target_shape as number[]).map(Number);
				const { name: o, value } = this.out(name, 'nhwc', target.length + 1);
				this.b.emit('Reshape', [this.b.get(x, 'nhwc'), this.b.int64s(`${name}/shape`, [0, ...target])], [o]);
				return value;
			}
			case 'ZeroPadding2D': {
				const p = c.padding;
				const [[t, bt], [lf, r]] = Array.isArray(p) && Array.isArray(p[0]) ? (p as number[][]) : [pair(p, 1), pair(Array.isArray(p) ? p[1] : p, 1)];
				return one('Pad', {}, 'nhwc', [this.b.int64s(`${name}/pads`, [0, t, lf, 0, 0, bt, r, 0])]);
			}
			case 'Add':
				return this.elementwise(name, 'Add', xs);
			case 'Subtract':
				return this.elementwise(name, 'Sub', xs);
			case 'Multiply':
				return this.elementwise(name, 'Mul', xs);
			case 'Maximum':
				return this.elementwise(name, 'Max', xs);
			case 'Minimum':
				return this.elementwise(name, 'Min', xs);
			case 'Average':
				return this.elementwise(name, 'Average', xs);
			case 'Concatenate': {
				const axis = Number(c.axis ?? -1);
				const layout = GraphBuilder.commonLayout(xs);
				const nhwcAxis = axis < 0 ? axis + x.rank : axis;
				const onnxAxis = layout === 'nchw' ? [0, 2, 3, 1][nhwcAxis] : nhwcAxis;
				const { name: o, value } = this.out(name, layout, x.rank);
				this.b.emit('Concat', xs.map((v) => this.b.get(v, layout)), [o], { axis: int(onnxAxis) });
				return value;
			}
			case 'Dropout':
			case 'SpatialDropout2D':
			case 'GaussianNoise':
			case 'GaussianDropout':
			case 'AlphaDropout':
				return x;
			default:
				throw new Error(`Keras layer '${l.class_name}' (layer '${name}') is not supported`);
		}
	}
}

/** The layer list, inputs and outputs of a Sequential or functional config. */
export function layersGraph(topology: Record<string, unknown>, weights: Map<string, DecodedWeight>): Graph {
	const { className, config } = kerasConfig(topology);
	const cv = new LayersConverter(weights);
	const layers = ((Array.isArray(config) ? config : config.layers) ?? []) as LayerJson[];
	let outputs: string[];
	if (className === 'Sequential') {
		let previous = '';
		for (const [k, l] of layers.entries()) {
			const name = String(l.config.name ?? `layer_${k}`);
			if (k === 0) {
				const shape = (l.config.batch_input_shape ?? l.config.batch_shape) as unknown[] | undefined;
				if (!shape) throw new Error(`the first layer '${name}' declares no batch_input_shape`);
				cv.input(l.class_name === 'InputLayer' ? name : `${name}_input`, shape, String(l.config.dtype ?? 'float32'));
				previous = l.class_name === 'InputLayer' ? name : `${name}_input`;
				if (l.class_name === 'InputLayer') continue;
			}
			cv.values.set(name, cv.layer(l, [cv.values.get(previous)!]));
			previous = name;
		}
		outputs = [previous];
	} else {
		for (const l of layers) {
			const name = String(l.config.name ?? l.name);
			if (l.class_name === 'InputLayer') {
				cv.input(name, (l.config.batch_input_shape ?? l.config.batch_shape) as unknown[], String(l.config.dtype ?? 'float32'));
				continue;
			}
			const xs = inboundNames(l).map((n) => {
				const v = cv.values.get(n);
				if (!v) throw new Error(`layer '${name}' reads '${n}', which comes later or does not exist`);
				return v;
			});
			cv.values.set(name, cv.layer(l, xs));
		}
		outputs = ((config.output_layers ?? []) as unknown[][]).map((o) => String(o[0]));
	}
	const graphOutputs: TensorInfo[] = outputs.map((n) => ({ name: cv.b.get(cv.values.get(n)!, 'nhwc'), dtype: 'float32', shape: null }));
	return { name: String((config as Config).name ?? 'model'), nodes: cv.b.nodes, inputs: cv.inputs, outputs: graphOutputs, initializers: cv.b.initializers, valueInfo: {} };
}
