/**
 * TFLite writer: a model as schema.ts reads it → bytes of a `.tflite` flatbuffer, built with the
 * `flatbuffers` library against the same schema (tensorflow/compiler/mlir/lite/schema/schema.fbs, field
 * indices as in schema.ts). It writes what the reader reads, so read → write → read is the identity; an
 * operator's options table is re-written field by field from `OPTION_FIELDS`, which lists the fields of
 * each options table the writer knows (an operator with another kind of options is refused by name).
 *
 * Used to make TFLite files the project needs and no package ships, such as an int8 per-channel model from
 * a real float one (quantize-weights.ts).
 */
import { Builder } from 'flatbuffers';
import type { FlatTable } from './flat-table';
import { BUILTIN_OPS, TENSOR_TYPES, type TfliteModel, type TfliteOperator, type TfliteQuantization, type TfliteTensor } from './schema';

type ScalarKind = 'int8' | 'bool' | 'int32' | 'float32';
type FieldKind = ScalarKind | 'int32s';

/**
 * schema.fbs `BuiltinOptions` union members the writer re-writes, by union type: their fields in schema
 * order (index = position). Tables with no fields (PadOptions, AddOptions without an activation…) are
 * written empty.
 */
const OPTION_FIELDS: Record<number, { name: string; fields: FieldKind[] }> = {
	// padding, stride_w, stride_h, fused_activation_function, dilation_w_factor, dilation_h_factor
	1: { name: 'Conv2DOptions', fields: ['int8', 'int32', 'int32', 'int8', 'int32', 'int32'] },
	// padding, stride_w, stride_h, depth_multiplier, fused_activation_function, dilation_w_factor, dilation_h_factor
	2: { name: 'DepthwiseConv2DOptions', fields: ['int8', 'int32', 'int32', 'int32', 'int8', 'int32', 'int32'] },
	// padding, stride_w, stride_h, filter_width, filter_height, fused_activation_function
	5: { name: 'Pool2DOptions', fields: ['int8', 'int32', 'int32', 'int32', 'int32', 'int8'] },
	// fused_activation_function, weights_format, keep_num_dims, asymmetric_quantize_inputs
	8: { name: 'FullyConnectedOptions', fields: ['int8', 'int8', 'bool', 'bool'] },
	// beta
	9: { name: 'SoftmaxOptions', fields: ['float32'] },
	// axis, fused_activation_function
	10: { name: 'ConcatenationOptions', fields: ['int32', 'int8'] },
	// fused_activation_function, pot_scale_int16
	11: { name: 'AddOptions', fields: ['int8', 'bool'] },
	// new_shape
	17: { name: 'ReshapeOptions', fields: ['int32s'] },
	// fused_activation_function
	21: { name: 'MulOptions', fields: ['int8'] },
	22: { name: 'PadOptions', fields: [] },
	26: { name: 'TransposeOptions', fields: [] },
	// keep_dims
	27: { name: 'ReducerOptions', fields: ['bool'] },
	// fused_activation_function, pot_scale_int16
	28: { name: 'SubOptions', fields: ['int8', 'bool'] },
	// squeeze_dims
	30: { name: 'SqueezeOptions', fields: ['int32s'] },
	39: { name: 'MaximumMinimumOptions', fields: [] },
	52: { name: 'ExpandDimsOptions', fields: [] },
	// alpha
	75: { name: 'LeakyReluOptions', fields: ['float32'] },
	// then_subgraph_index, else_subgraph_index
	92: { name: 'IfOptions', fields: ['int32', 'int32'] },
	// adj_x, adj_y, asymmetric_quantize_inputs
	101: { name: 'BatchMatMulOptions', fields: ['bool', 'bool', 'bool'] }
};

/** An operator's options as the writer writes them: the union type and each present field's value. */
export interface WritableOptions {
	type: number;
	fields: { index: number; kind: FieldKind; value: number | number[] }[];
}

/** Reads the options of `op` into plain values; throws naming the op and options type when the writer does not know them. */
export function readOptions(op: TfliteOperator, opName = 'operator'): WritableOptions | null {
	if (op.optionsType === 0) return null;
	const known = OPTION_FIELDS[op.optionsType];
	if (!known) throw new Error(`the TFLite writer cannot re-write the options of ${opName} (BuiltinOptions type ${op.optionsType})`);
	const t = op.options;
	const fields = t ? known.fields.flatMap((kind, index) => (t.has(index) ? [{ index, kind, value: readField(t, index, kind) }] : [])) : [];
	return { type: op.optionsType, fields };
}

function readField(t: FlatTable, index: number, kind: FieldKind): number | number[] {
	switch (kind) {
		case 'int8':
			return t.int8(index);
		case 'bool':
			return t.bool(index) ? 1 : 0;
		case 'int32':
			return t.int32(index);
		case 'float32':
			return t.float32(index);
		case 'int32s':
			return t.int32s(index);
	}
}

/** A model to write: schema.ts's model with each operator's options as plain values. */
export interface WritableModel extends Omit<TfliteModel, 'subgraphs'> {
	subgraphs: {
		name: string;
		tensors: TfliteTensor[];
		inputs: number[];
		outputs: number[];
		operators: { opcodeIndex: number; inputs: number[]; outputs: number[]; options: WritableOptions | null }[];
	}[];
}

/** A model as read, with its operators' options read out, ready to change and write. */
export function writableModel(model: TfliteModel): WritableModel {
	return {
		...model,
		subgraphs: model.subgraphs.map((sg) => ({
			...sg,
			operators: sg.operators.map((op) => {
				const code = model.operatorCodes[op.opcodeIndex];
				const name = code ? (BUILTIN_OPS[code.builtinCode] ?? `builtin operator ${code.builtinCode}`) : `operator code #${op.opcodeIndex}`;
				return { opcodeIndex: op.opcodeIndex, inputs: op.inputs, outputs: op.outputs, options: readOptions(op, name) };
			})
		}))
	};
}

/** Buffer data is aligned to 16 bytes, as TensorFlow's converter writes it, so a reader may map it in place. */
const BUFFER_ALIGNMENT = 16;

/** The model as `.tflite` bytes (file identifier "TFL3"). */
export function writeTflite(model: WritableModel): Uint8Array {
	const b = new Builder(1 << 16);
	const int32s = (values: number[]) => {
		b.startVector(4, values.length, 4);
		for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
		return b.endVector();
	};
	const float32s = (values: number[]) => {
		b.startVector(4, values.length, 4);
		for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
		return b.endVector();
	};
	const int64s = (values: number[]) => {
		b.startVector(8, values.length, 8);
		for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]));
		return b.endVector();
	};
	const offsets = (values: number[]) => {
		b.startVector(4, values.length, 4);
		for (let i = values.length - 1; i >= 0; i--) b.addOffset(values[i]);
		return b.endVector();
	};
	const bytes = (data: Uint8Array) => {
		b.startVector(1, data.length, BUFFER_ALIGNMENT);
		for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]);
		return b.endVector();
	};

	const quantization = (q: TfliteQuantization) => {
		const min = q.min.length ? float32s(q.min) : 0;
		const max = q.max.length ? float32s(q.max) : 0;
		const scale = q.scale.length ? float32s(q.scale) : 0;
		const zeroPoint = q.zeroPoint.length ? int64s(q.zeroPoint) : 0;
		b.startObject(7);
		if (min) b.addFieldOffset(0, min, 0);
		if (max) b.addFieldOffset(1, max, 0);
		if (scale) b.addFieldOffset(2, scale, 0);
		if (zeroPoint) b.addFieldOffset(3, zeroPoint, 0);
		b.addFieldInt32(6, q.quantizedDimension, 0);
		return b.endObject();
	};

	const tensor = (t: TfliteTensor) => {
		if (t.sparse) throw new Error(`the TFLite writer does not write sparse tensors ('${t.name}')`);
		const typeCode = TENSOR_TYPES.indexOf(t.type as (typeof TENSOR_TYPES)[number]);
		if (typeCode < 0) throw new Error(`tensor '${t.name}' has an unknown type`);
		const shape = int32s(t.shape);
		const name = b.createString(t.name);
		const q = t.quantization ? quantization(t.quantization) : 0;
		const signature = t.shapeSignature.length ? int32s(t.shapeSignature) : 0;
		b.startObject(8);
		b.addFieldOffset(0, shape, 0);
		b.addFieldInt8(1, typeCode, 0);
		b.addFieldInt32(2, t.buffer, 0);
		b.addFieldOffset(3, name, 0);
		if (q) b.addFieldOffset(4, q, 0);
		if (t.isVariable) b.addFieldInt8(5, 1, 0);
		if (signature) b.addFieldOffset(7, signature, 0);
		return b.endObject();
	};

	const options = (o: WritableOptions) => {
		const vectors = o.fields.map((f) => (f.kind === 'int32s' ? int32s(f.value as number[]) : 0));
		b.startObject(Math.max(0, ...o.fields.map((f) => f.index + 1)));
		o.fields.forEach((f, k) => {
			const v = f.value as number;
			if (f.kind === 'int32s') b.addFieldOffset(f.index, vectors[k], 0);
			else if (f.kind === 'int8' || f.kind === 'bool') b.addFieldInt8(f.index, v, null);
			else if (f.kind === 'int32') b.addFieldInt32(f.index, v, null);
			else b.addFieldFloat32(f.index, v, null);
		});
		return b.endObject();
	};

	const operator = (op: WritableModel['subgraphs'][number]['operators'][number]) => {
		const inputs = int32s(op.inputs);
		const outputs = int32s(op.outputs);
		const opts = op.options ? options(op.options) : 0;
		b.startObject(5);
		b.addFieldInt32(0, op.opcodeIndex, 0);
		b.addFieldOffset(1, inputs, 0);
		b.addFieldOffset(2, outputs, 0);
		if (op.options) {
			b.addFieldInt8(3, op.options.type, 0);
			b.addFieldOffset(4, opts, 0);
		}
		return b.endObject();
	};

	const subgraphs = model.subgraphs.map((sg) => {
		const tensors = offsets(sg.tensors.map(tensor));
		const inputs = int32s(sg.inputs);
		const outputs = int32s(sg.outputs);
		const operators = offsets(sg.operators.map(operator));
		const name = b.createString(sg.name);
		b.startObject(5);
		b.addFieldOffset(0, tensors, 0);
		b.addFieldOffset(1, inputs, 0);
		b.addFieldOffset(2, outputs, 0);
		b.addFieldOffset(3, operators, 0);
		b.addFieldOffset(4, name, 0);
		return b.endObject();
	});
	const codes = model.operatorCodes.map((c) => {
		const custom = c.customCode ? b.createString(c.customCode) : 0;
		b.startObject(4);
		// deprecated_builtin_code is a byte: codes past 127 keep 127 there (PLACEHOLDER_FOR_GREATER_OP_CODES).
		b.addFieldInt8(0, Math.min(c.builtinCode, 127), 0);
		if (custom) b.addFieldOffset(1, custom, 0);
		b.addFieldInt32(2, c.version, 1);
		b.addFieldInt32(3, c.builtinCode, 0);
		return b.endObject();
	});
	const buffers = model.buffers.map((data) => {
		const vector = data.length ? bytes(data) : 0;
		b.startObject(1);
		if (vector) b.addFieldOffset(0, vector, 0);
		return b.endObject();
	});
	const description = b.createString(model.description);
	const codesVector = offsets(codes);
	const subgraphsVector = offsets(subgraphs);
	const buffersVector = offsets(buffers);
	b.startObject(5);
	b.addFieldInt32(0, model.version, 0);
	b.addFieldOffset(1, codesVector, 0);
	b.addFieldOffset(2, subgraphsVector, 0);
	b.addFieldOffset(3, description, 0);
	b.addFieldOffset(4, buffersVector, 0);
	b.finish(b.endObject(), 'TFL3');
	return b.asUint8Array().slice();
}
