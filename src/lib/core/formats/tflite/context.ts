/**
 * The state one TFLite subgraph's conversion keeps: the IR nodes and initializers emitted so far,
 * unique value names, each TFLite tensor's value in one or both layouts, and the QDQ chain of
 * quantized tensors.
 *
 * Layout: TFLite is NHWC, ONNX convolutions are NCHW. Every tensor keeps its TFLite (NHWC) layout
 * at the graph's edges; a convolution or pool reads an NCHW form, made by a Transpose on demand, and
 * leaves its result in NCHW only. Element-wise ops on a value that exists only in NCHW stay in NCHW,
 * and the Transpose back to NHWC is emitted only when some op (or a graph output) needs it. So a
 * chain conv → activation → conv needs no transposes in between.
 *
 * Quantization (QDQ): every quantized TFLite tensor stands in the graph for its real value. A
 * quantized constant is kept as its int8/uint8/int32 initializer plus scale and zero point, read
 * through DequantizeLinear (with `axis` = quantized_dimension for per-channel scales); a quantized
 * op result goes through QuantizeLinear → DequantizeLinear, reproducing TFLite's rounding and
 * clamping. The parameters stay in the graph, so the int8 storage is what the summary counts.
 */
import { dtypeBits, tensorByteLength } from '../../ir/dtype';
import type { DType, Initializer, Node, AttrValue } from '../../ir/types';
import { type FusedActivation, type TfliteModel, type TfliteSubGraph, type TfliteTensor } from './schema';

export type Layout = 'nhwc' | 'nchw';
const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

/** Names unique across the whole model (ONNX forbids a subgraph shadowing an outer name). */
export class UniqueNames {
	private used = new Set<string>();
	claim(hint: string): string {
		let name = hint || 'tensor';
		for (let n = 1; this.used.has(name); n++) name = `${hint}_${n}`;
		this.used.add(name);
		return name;
	}
}

export const ints = (value: number[]): AttrValue => ({ type: 'ints', value });
export const int = (value: number): AttrValue => ({ type: 'int', value });
export const float = (value: number): AttrValue => ({ type: 'float', value });
export const str = (value: string): AttrValue => ({ type: 'string', value });

/** A TFLite tensor type as an IR dtype (resource/variant have none). */
export function irDType(t: TfliteTensor): DType {
	return t.type === 'resource' || t.type === 'variant' || t.type === 'unknown' ? 'undefined' : t.type;
}

/** Whether a tensor stands for a real number through scale and zero point. */
export function isQuantized(t: TfliteTensor): boolean {
	return !!t.quantization?.scale.length && (t.type === 'int8' || t.type === 'uint8' || t.type === 'int16' || t.type === 'int32');
}

function permute(bytes: Uint8Array, dims: number[], perm: number[], elementSize: number): Uint8Array {
	const outDims = perm.map((p) => dims[p]);
	const inStrides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
	const count = dims.reduce((a, b) => a * b, 1);
	const out = new Uint8Array(bytes.byteLength);
	const index = new Array(dims.length).fill(0);
	for (let o = 0; o < count; o++) {
		let src = 0;
		for (let k = 0; k < perm.length; k++) src += index[k] * inStrides[perm[k]];
		out.set(bytes.subarray(src * elementSize, (src + 1) * elementSize), o * elementSize);
		for (let k = perm.length - 1; k >= 0; k--) {
			if (++index[k] < outDims[k]) break;
			index[k] = 0;
		}
	}
	return out;
}

export class SubgraphContext {
	readonly nodes: Node[] = [];
	readonly initializers: Record<string, Initializer> = {};
	private forms = new Map<number, Partial<Record<Layout, string>>>();
	private baseNames = new Map<number, string>();

	constructor(readonly model: TfliteModel, readonly sub: TfliteSubGraph, readonly names: UniqueNames) {}

	tensor(i: number): TfliteTensor {
		const t = this.sub.tensors[i];
		if (!t) throw new Error(`tensor #${i} does not exist (the subgraph has ${this.sub.tensors.length})`);
		return t;
	}

	/** The tensor's constant bytes, or null when it is computed (or a graph input). */
	constBytes(i: number): Uint8Array | null {
		const t = this.tensor(i);
		if (this.sub.inputs.includes(i) || t.isVariable) return null;
		const data = this.model.buffers[t.buffer];
		if (data && data.byteLength) {
			// A damaged shape or buffer must not reach the readers below, which trust the two to agree.
			const dtype = irDType(t);
			const expected = tensorByteLength(dtype, t.shape);
			if (dtypeBits(dtype) > 0 && data.byteLength !== expected) {
				throw new Error(`constant tensor '${t.name}' holds ${data.byteLength} bytes, but ${t.type}[${t.shape.join(',')}] needs ${expected}`);
			}
			return data;
		}
		// A zero-element constant (a reshape to a scalar) has an empty buffer.
		const produced = this.sub.operators.some((op) => op.outputs.includes(i));
		return !produced && t.shape.includes(0) ? new Uint8Array(0) : null;
	}

	isConst(i: number): boolean {
		return this.constBytes(i) !== null;
	}

	/** A constant integer tensor's values (shapes, axes, paddings). */
	constInts(i: number): number[] {
		const bytes = this.constBytes(i);
		const t = this.tensor(i);
		if (!bytes) throw new Error(`tensor '${t.name}' must be a constant here`);
		const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		if (t.type === 'int64') return Array.from({ length: bytes.byteLength / 8 }, (_, k) => Number(view.getBigInt64(8 * k, true)));
		if (t.type === 'int32') return Array.from({ length: bytes.byteLength / 4 }, (_, k) => view.getInt32(4 * k, true));
		throw new Error(`tensor '${t.name}' must hold integers, not ${t.type}`);
	}

	base(i: number): string {
		let name = this.baseNames.get(i);
		if (!name) {
			name = this.names.claim(this.tensor(i).name || `tensor_${i}`);
			this.baseNames.set(i, name);
		}
		return name;
	}

	emit(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name = outputs[0]): void {
		this.nodes.push({ name, opType, domain: '', inputs, outputs, attrs });
	}

	/** Adds an initializer under a fresh name derived from `hint`, returning the name. */
	addConst(hint: string, dtype: DType, dims: number[], data: Uint8Array): string {
		const name = this.names.claim(hint);
		this.initializers[name] = { name, dtype, dims, data, origin: 'initializer' };
		return name;
	}

	int64s(hint: string, values: number[], dims = [values.length]): string {
		const data = new Uint8Array(8 * values.length);
		const view = new DataView(data.buffer);
		values.forEach((v, k) => view.setBigInt64(8 * k, BigInt(v), true));
		return this.addConst(hint, 'int64', dims, data);
	}

	floats(hint: string, values: number[], dims = [values.length]): string {
		return this.addConst(hint, 'float32', dims, new Uint8Array(new Float32Array(values).buffer));
	}

	/**
	 * A constant as an initializer, permuted by `perm` (OHWI → OIHW for conv weights), dequantized
	 * through DequantizeLinear when quantized. Returns the name of its real-valued form.
	 */
	weight(i: number, perm?: number[], reshape?: number[]): string {
		const t = this.tensor(i);
		const bytes = this.constBytes(i);
		if (!bytes) return this.value(i);
		const dtype = irDType(t);
		const size = t.type === 'int4' ? 0 : bytes.byteLength / Math.max(1, t.shape.reduce((a, b) => a * b, 1));
		const data = perm && size ? permute(bytes, t.shape, perm, size) : bytes;
		const dims = reshape ?? (perm ? perm.map((p) => t.shape[p]) : [...t.shape]);
		if (!isQuantized(t)) return this.addConst(this.tensor(i).name || `const_${i}`, dtype, dims, data);
		const raw = this.addConst(`${t.name}/quantized`, dtype, dims, data);
		const q = t.quantization!;
		const axisBefore = q.quantizedDimension;
		const axis = perm ? perm.indexOf(axisBefore) : axisBefore;
		const perChannel = q.scale.length > 1;
		const scale = this.floats(`${t.name}/scale`, q.scale, perChannel ? [q.scale.length] : []);
		const zp = this.zeroPoint(t, perChannel);
		const out = this.names.claim(`${t.name}/dequantized`);
		this.emit('DequantizeLinear', [raw, scale, zp], [out], perChannel ? { axis: int(axis) } : {});
		return out;
	}

	private zeroPoint(t: TfliteTensor, perChannel: boolean): string {
		const q = t.quantization!;
		const values = q.zeroPoint.length ? q.zeroPoint : q.scale.map(() => 0);
		const dims = perChannel ? [values.length] : [];
		const kept = perChannel ? values : values.slice(0, 1);
		if (t.type === 'int32') return this.addConst(`${t.name}/zero_point`, 'int32', dims, new Uint8Array(new Int32Array(kept).buffer));
		if (t.type === 'int16') return this.addConst(`${t.name}/zero_point`, 'int16', dims, new Uint8Array(new Int16Array(kept).buffer));
		const Arr = t.type === 'uint8' ? Uint8Array : Int8Array;
		return this.addConst(`${t.name}/zero_point`, t.type === 'uint8' ? 'uint8' : 'int8', dims, new Uint8Array(new Arr(kept).buffer));
	}

	/** Records that tensor `i` is available as `name` in `layout` (a graph input, a branch argument). */
	bind(i: number, name: string, layout: Layout = 'nhwc'): void {
		this.forms.set(i, { ...this.forms.get(i), [layout]: name });
	}

	/** Whether tensor `i` exists only in NCHW so far (an element-wise op on it may stay in NCHW). */
	onlyNchw(i: number): boolean {
		const f = this.forms.get(i);
		return !!f?.nchw && !f.nhwc;
	}

	/** The name of tensor `i`'s real value in `layout`, emitting a Transpose when only the other form exists. */
	value(i: number, layout: Layout = 'nhwc'): string {
		const f = this.forms.get(i);
		if (f?.[layout]) return f[layout]!;
		if (!f && this.isConst(i)) {
			// Constants reach here as operands of layout-free ops (scalars, shapes): no transpose.
			const name = this.weight(i);
			this.forms.set(i, { nhwc: name, nchw: name });
			return name;
		}
		const other = layout === 'nhwc' ? f?.nchw : f?.nhwc;
		if (!other) throw new Error(`tensor '${this.tensor(i).name}' is used before any operator produces it`);
		const name = layout === 'nhwc' ? this.base(i) : this.names.claim(`${this.base(i)}/nchw`);
		this.emit('Transpose', [other], [name], { perm: ints(layout === 'nhwc' ? TO_NHWC : TO_NCHW) });
		this.bind(i, name, layout);
		return name;
	}

	/**
	 * Where an op converting to tensor `i` writes, and a function that finishes the value: applies
	 * the fused activation, then the QuantizeLinear → DequantizeLinear pair when `i` is quantized.
	 */
	output(i: number, layout: Layout = 'nhwc', activation: FusedActivation = 'NONE'): string {
		const t = this.tensor(i);
		const final = layout === 'nhwc' ? this.base(i) : this.names.claim(`${this.base(i)}/nchw`);
		const quantized = isQuantized(t);
		const stages: ((input: string, out: string) => void)[] = [];
		if (activation !== 'NONE') stages.push((input, out) => this.activation(activation, input, out));
		if (quantized) {
			stages.push((input, out) => {
				const q = t.quantization!;
				const scale = this.floats(`${t.name}/scale`, [q.scale[0]], []);
				const zp = this.zeroPoint(t, false);
				const qName = this.names.claim(`${this.base(i)}/quantized`);
				this.emit('QuantizeLinear', [input, scale, zp], [qName]);
				this.emit('DequantizeLinear', [qName, scale, zp], [out]);
				this.quantizedNames.set(i, qName);
			});
		}
		this.bind(i, final, layout);
		if (!stages.length) return final;
		const first = this.names.claim(`${this.base(i)}/raw`);
		this.pending.push({ stages, first, final });
		return first;
	}

	/** The integer form of a quantized output (for a quantized graph output). */
	readonly quantizedNames = new Map<number, string>();
	private pending: { stages: ((input: string, out: string) => void)[]; first: string; final: string }[] = [];

	/** Emits the activation and QDQ stages of the outputs the last op wrote; call after each op. */
	flush(): void {
		for (const { stages, first, final } of this.pending) {
			let input = first;
			stages.forEach((stage, k) => {
				const out = k === stages.length - 1 ? final : this.names.claim(`${first}/${k}`);
				stage(input, out);
				input = out;
			});
		}
		this.pending = [];
	}

	/** Emits a fused activation as its own op (TFLite's ActivationFunctionType). */
	activation(kind: FusedActivation, input: string, out: string): void {
		if (kind === 'RELU') this.emit('Relu', [input], [out]);
		else if (kind === 'TANH') this.emit('Tanh', [input], [out]);
		else if (kind === 'RELU6' || kind === 'RELU_N1_TO_1') {
			const [lo, hi] = kind === 'RELU6' ? [0, 6] : [-1, 1];
			this.emit('Clip', [input, this.floats(`${out}/min`, [lo], []), this.floats(`${out}/max`, [hi], [])], [out]);
		} else if (kind === 'SIGN_BIT') this.emit('Sign', [input], [out]);
	}
}
