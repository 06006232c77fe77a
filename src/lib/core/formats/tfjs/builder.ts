/**
 * A small graph builder shared by the TF.js importers: IR nodes, initializers from decoded weights,
 * unique names, and the same lazy NHWC/NCHW layout rule as the TFLite importer (a value keeps TF's
 * channels-last layout; convolutions, pools and batch norms read an NCHW form made on demand, and
 * their results stay NCHW until something needs channels-last).
 */
import type { AttrValue, DType, Initializer, Node } from '../../ir/types';
import type { DecodedWeight } from './model-json';

export type Layout = 'nhwc' | 'nchw';
export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];

export const ints = (value: number[]): AttrValue => ({ type: 'ints', value });
export const int = (value: number): AttrValue => ({ type: 'int', value });
export const float = (value: number): AttrValue => ({ type: 'float', value });
export const str = (value: string): AttrValue => ({ type: 'string', value });

/** A value: its name in one or both layouts, and its rank when known. */
export interface Value {
	nhwc?: string;
	nchw?: string;
	rank: number;
}

function permuteFloats(values: ArrayLike<number>, dims: number[], perm: number[]): Float32Array {
	const outDims = perm.map((p) => dims[p]);
	const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
	const out = new Float32Array(values.length);
	const index = new Array(dims.length).fill(0);
	for (let o = 0; o < out.length; o++) {
		let src = 0;
		for (let k = 0; k < perm.length; k++) src += index[k] * strides[perm[k]];
		out[o] = values[src];
		for (let k = perm.length - 1; k >= 0; k--) {
			if (++index[k] < outDims[k]) break;
			index[k] = 0;
		}
	}
	return out;
}

export class GraphBuilder {
	readonly nodes: Node[] = [];
	readonly initializers: Record<string, Initializer> = {};
	private used = new Set<string>();

	claim(hint: string): string {
		let name = hint || 'value';
		for (let n = 1; this.used.has(name); n++) name = `${hint}_${n}`;
		this.used.add(name);
		return name;
	}

	emit(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name = outputs[0]): void {
		this.nodes.push({ name, opType, domain: '', inputs, outputs, attrs });
	}

	addConst(hint: string, dtype: DType, dims: number[], data: Uint8Array): string {
		const name = this.claim(hint);
		this.initializers[name] = { name, dtype, dims, data, origin: 'initializer' };
		return name;
	}

	floats(hint: string, values: ArrayLike<number>, dims = [values.length]): string {
		return this.addConst(hint, 'float32', dims, new Uint8Array(Float32Array.from(values).buffer));
	}

	int64s(hint: string, values: number[], dims = [values.length]): string {
		const data = new Uint8Array(8 * values.length);
		const view = new DataView(data.buffer);
		values.forEach((v, k) => view.setBigInt64(8 * k, BigInt(v), true));
		return this.addConst(hint, 'int64', dims, data);
	}

	/** A decoded weight as an initializer, optionally permuted (HWIO → OIHW) and reshaped. */
	weight(w: DecodedWeight, perm?: number[], reshape?: number[], hint = w.name): string {
		if (w.dtype === 'int32') return this.addConst(hint, 'int32', reshape ?? w.shape, new Uint8Array((w.values as Int32Array).slice().buffer));
		if (w.dtype === 'bool') return this.addConst(hint, 'bool', reshape ?? w.shape, (w.values as Uint8Array).slice());
		const values = perm ? permuteFloats(w.values, w.shape, perm) : w.values;
		const dims = reshape ?? (perm ? perm.map((p) => w.shape[p]) : w.shape);
		return this.floats(hint, values, dims);
	}

	/** The value's name in `layout`, emitting a Transpose (rank 4 only) when only the other form exists. */
	get(v: Value, layout: Layout): string {
		const have = v[layout];
		if (have) return have;
		const other = layout === 'nhwc' ? v.nchw : v.nhwc;
		if (!other) throw new Error('value has no form');
		if (v.rank !== 4) return other;
		const name = this.claim(`${other.replace(/\/nchw$/, '')}${layout === 'nchw' ? '/nchw' : '/nhwc'}`);
		this.emit('Transpose', [other], [name], { perm: ints(layout === 'nhwc' ? TO_NHWC : TO_NCHW) });
		v[layout] = name;
		return name;
	}

	/** The layout an element-wise op over `values` should run in: NCHW when all exist only in NCHW. */
	static commonLayout(values: Value[]): Layout {
		return values.length > 0 && values.every((v) => v.rank === 4 && v.nchw && !v.nhwc) ? 'nchw' : 'nhwc';
	}
}
