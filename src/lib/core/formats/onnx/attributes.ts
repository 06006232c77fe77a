/**
 * AttributeProto ↔ AttrValue. Graph attributes (If/Loop/Scan bodies) are converted by the callback
 * the caller passes, so this file does not depend on the graph converters.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { AttrValue, Graph } from '../../ir/types';
import { ModelFormatError } from '../errors';
import { type Int64, int64ToNumber, numberToInt64 } from './proto';
import { tensorFromProto, tensorToProto } from './tensor';

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** AttributeProto.AttributeType codes. */
const CODE = { float: 1, int: 2, string: 3, tensor: 4, graph: 5, floats: 6, ints: 7, strings: 8, tensors: 9, graphs: 10 } as const;

/** Old files may leave `type` unset; the filled field then says which kind it is. */
function inferType(attr: OnnxTypes.IAttributeProto): number {
	const has = (key: keyof OnnxTypes.IAttributeProto) => Object.prototype.hasOwnProperty.call(attr, key);
	if (attr.floats?.length) return CODE.floats;
	if (attr.ints?.length) return CODE.ints;
	if (attr.strings?.length) return CODE.strings;
	if (attr.tensors?.length) return CODE.tensors;
	if (attr.graphs?.length) return CODE.graphs;
	if (has('t')) return CODE.tensor;
	if (has('g')) return CODE.graph;
	if (has('s')) return CODE.string;
	if (has('i')) return CODE.int;
	if (has('f')) return CODE.float;
	return 0;
}

/** The value of a tensor or graph attribute; a damaged file may declare the type and omit the value. */
function present<T>(value: T | null | undefined, kind: string, context: string): T {
	if (value === null || value === undefined) throw new ModelFormatError('invalid', `The ${context} is declared as a ${kind} but holds none.`);
	return value;
}

/**
 * Converts one attribute.
 * @param where the node it belongs to, for error messages ("node 'If_3' (If)").
 * @throws ModelFormatError ('unsupported') for sparse-tensor and type-proto attributes, ('invalid')
 * for a tensor or graph attribute without its value.
 */
export function attrFromProto(
	attr: OnnxTypes.IAttributeProto, where: string, graphFromProto: (g: OnnxTypes.IGraphProto) => Graph
): AttrValue {
	const type = attr.type || inferType(attr);
	const context = `attribute '${attr.name}' of ${where}`;
	switch (type) {
		case CODE.float: return { type: 'float', value: attr.f ?? 0 };
		case CODE.int: return { type: 'int', value: int64ToNumber(attr.i as Int64) };
		case CODE.string: return { type: 'string', value: utf8Decoder.decode(attr.s ?? new Uint8Array(0)) };
		case CODE.tensor: return { type: 'tensor', value: tensorFromProto(present(attr.t, 'tensor', context), 'constant-node', context) };
		case CODE.graph: return { type: 'graph', value: graphFromProto(present(attr.g, 'graph', context)) };
		case CODE.floats: return { type: 'floats', value: [...(attr.floats ?? [])] };
		case CODE.ints: return { type: 'ints', value: (attr.ints ?? []).map((v) => int64ToNumber(v as Int64)) };
		case CODE.strings: return { type: 'strings', value: (attr.strings ?? []).map((b) => utf8Decoder.decode(b)) };
		case CODE.tensors: {
			return { type: 'tensors', value: (attr.tensors ?? []).map((t, i) => tensorFromProto(t, 'constant-node', `${context} [${i}]`)) };
		}
		case CODE.graphs: return { type: 'graphs', value: (attr.graphs ?? []).map(graphFromProto) };
		default:
			throw new ModelFormatError('unsupported', `The ${context} has attribute type ${type} (sparse tensor or type proto), which Tightfit cannot read yet.`);
	}
}

/** Converts one attribute back to an AttributeProto. */
export function attrToProto(
	name: string, attr: AttrValue, graphToProto: (g: Graph) => OnnxTypes.IGraphProto
): OnnxTypes.IAttributeProto {
	const base = { name, type: CODE[attr.type] };
	switch (attr.type) {
		case 'float': return { ...base, f: attr.value };
		case 'int': return { ...base, i: numberToInt64(attr.value) as number };
		case 'string': return { ...base, s: utf8Encoder.encode(attr.value) };
		case 'tensor': return { ...base, t: tensorToProto(attr.value) };
		case 'graph': return { ...base, g: graphToProto(attr.value) };
		case 'floats': return { ...base, floats: attr.value };
		case 'ints': return { ...base, ints: attr.value.map(numberToInt64) as number[] };
		case 'strings': return { ...base, strings: attr.value.map((s) => utf8Encoder.encode(s)) };
		case 'tensors': return { ...base, tensors: attr.value.map(tensorToProto) };
		case 'graphs': return { ...base, graphs: attr.value.map(graphToProto) };
	}
}
