/**
 * Hand-built hostile ONNX files, seeds beside the real zoo files: each is what a careless or malicious
 * author could save, and each must end in a graph or a ModelFormatError, fast.
 */
import type { onnx as OnnxTypes } from 'onnx-proto';
import { onnx } from '../formats/onnx/proto';
import { ELEM, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../testing/onnx-builders';
import { MARKUP } from './onnx-mutators';

const f32 = (name: string, dims: (number | string | null)[] | null) => protoValueInfo(name, ELEM.float, dims);
const int64Tensor = (name: string, values: number[], dims = [values.length]): OnnxTypes.ITensorProto => ({ name, dataType: ELEM.int64, dims, int64Data: values });
const scalar = (name: string, value: number) => int64Tensor(name, [value], []);
const chain = (node: OnnxTypes.INodeProto[], inputs: OnnxTypes.IValueInfoProto[], outputs: OnnxTypes.IValueInfoProto[], initializer: OnnxTypes.ITensorProto[] = []) =>
	protoModelBytes(protoGraph({ node, input: inputs, output: outputs, initializer }));

/** Protobuf by hand for nesting too deep for protobufjs's recursive encoder. */
function field(no: number, payload: Uint8Array): Uint8Array[] {
	return [Uint8Array.of((no << 3) | 2), varint(payload.length), payload];
}
function varint(n: number): Uint8Array {
	const out: number[] = [];
	do {
		out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
		n >>>= 7;
	} while (n);
	return Uint8Array.from(out);
}
function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/**
 * A model whose graph is `depth` If nodes each holding the next in its then-branch: the shape of a
 * file built to exhaust the stack of every recursive walk over subgraphs.
 */
export function nestedIfModel(depth: number): Uint8Array {
	const leafGraph = onnx.GraphProto.encode(protoGraph({ name: 'leaf', node: [protoNode('Identity', ['x'], ['y'])], output: [f32('y', [1])] })).finish();
	const enc = new TextEncoder();
	// Per level, everything but the inner graph: GraphProto{output, node{op_type, input, output, else, attr{name, type, g: inner}}}.
	const elseAttr = onnx.AttributeProto.encode({ name: 'else_branch', type: 5, g: onnx.GraphProto.decode(leafGraph) }).finish();
	const nodeFixed = concat([...field(4, enc.encode('If')), ...field(1, enc.encode('c')), ...field(2, enc.encode('y')), ...field(5, elseAttr)]);
	const attrFixed = concat([...field(1, enc.encode('then_branch')), varint(20 << 3), Uint8Array.of(5)]);
	const graphFixed = concat(field(12, onnx.ValueInfoProto.encode(f32('y', [1])).finish()));
	const prefixes: Uint8Array[] = [];
	let innerLength = leafGraph.length;
	for (let level = 0; level < depth; level++) {
		const gPrefix = concat([Uint8Array.of((6 << 3) | 2), varint(innerLength)]);
		const attrLength = attrFixed.length + gPrefix.length + innerLength;
		const attrPrefix = concat([Uint8Array.of((5 << 3) | 2), varint(attrLength)]);
		const nodeLength = nodeFixed.length + attrPrefix.length + attrLength;
		const prefix = concat([graphFixed, Uint8Array.of((1 << 3) | 2), varint(nodeLength), nodeFixed, attrPrefix, attrFixed, gPrefix]);
		prefixes.push(prefix);
		innerLength += prefix.length;
	}
	const graph = concat([...prefixes.reverse(), leafGraph]);
	// The outermost graph also declares the inputs every level reads.
	const inputs = concat([...field(11, onnx.ValueInfoProto.encode(protoValueInfo('c', ELEM.bool, [])).finish()), ...field(11, onnx.ValueInfoProto.encode(f32('x', [1])).finish())]);
	const header = onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }] }).finish();
	return concat([header, ...field(7, concat([inputs, graph]))]);
}

/** Named hostile seeds (file name → bytes). */
export function hostileModels(): Record<string, Uint8Array> {
	const x = f32('x', [1, 4]);
	return {
		'cycle.onnx': chain([protoNode('Relu', ['b'], ['a']), protoNode('Relu', ['a'], ['b'])], [x], [f32('b', [1, 4])]),
		'self-loop.onnx': chain([protoNode('Add', ['x', 'y'], ['y'])], [x], [f32('y', [1, 4])]),
		'tensor-2e40.onnx': chain([protoNode('Relu', ['x'], ['y'])], [f32('x', [2 ** 20, 2 ** 20])], [f32('y', null)]),
		'initializer-2e40.onnx': chain([protoNode('Add', ['x', 'w'], ['y'])], [x], [f32('y', null)], [{ name: 'w', dataType: ELEM.float, dims: [2 ** 20, 2 ** 20], rawData: new Uint8Array(4) }]),
		'negative-dims.onnx': chain([protoNode('Relu', ['x'], ['y'])], [f32('x', [-1, -(2 ** 31)])], [f32('y', [-5])], [{ name: 'w', dataType: ELEM.float, dims: [-3, 2], rawData: new Uint8Array(8) }]),
		'unknown-dtype.onnx': chain([protoNode('Add', ['x', 'w'], ['y'])], [protoValueInfo('x', 999, [1, 4])], [protoValueInfo('y', 0, [1, 4])], [{ name: 'w', dataType: 999, dims: [4], rawData: new Uint8Array(16) }]),
		'huge-attributes.onnx': chain(
			[protoNode('Conv', ['x', 'w'], ['y'], [{ name: 'kernel_shape', type: 7, ints: [2 ** 40, 2 ** 40] }, { name: 'pads', type: 7, ints: [-(2 ** 31), 2 ** 53, 0, 2 ** 40] }, { name: 'strides', type: 7, ints: [0, 0] }, { name: 'group', type: 2, i: 0 }])],
			[f32('x', [1, 3, 8, 8])], [f32('y', null)], [{ name: 'w', dataType: ELEM.float, dims: [4, 3, 3, 3], rawData: new Uint8Array(4 * 108) }]
		),
		'reshape-2e60.onnx': chain([protoNode('Reshape', ['x', 's'], ['y'])], [x], [f32('y', null)], [int64Tensor('s', [2 ** 20, 2 ** 20, 2 ** 20])]),
		'range-1e15.onnx': chain([protoNode('Range', ['a', 'b', 'd'], ['y'])], [], [protoValueInfo('y', ELEM.int64, null)], [scalar('a', 0), scalar('b', 1e15), scalar('d', 1)]),
		'constant-of-shape-2e40.onnx': chain([protoNode('ConstantOfShape', ['s'], ['y'])], [], [f32('y', null)], [int64Tensor('s', [2 ** 20, 2 ** 20])]),
		'expand-tile-2e40.onnx': chain(
			[protoNode('Expand', ['x', 's'], ['e']), protoNode('Tile', ['e', 'r'], ['y'])], [x], [f32('y', null)], [int64Tensor('s', [2 ** 20, 2 ** 20]), int64Tensor('r', [2 ** 30, 2 ** 30])]
		),
		'markup-names.onnx': onnx.ModelProto.encode({
			irVersion: 8, docString: MARKUP, producerName: MARKUP, opsetImport: [{ domain: '', version: 17 }],
			metadataProps: [{ key: MARKUP, value: MARKUP }, { key: '__proto__', value: MARKUP }],
			graph: protoGraph({ name: MARKUP, node: [protoNode('Relu', ['x'], [MARKUP], [], MARKUP)], input: [x], output: [f32(MARKUP, [1, 4])] })
		}).finish(),
		// Names that are Object.prototype keys: a plain-object record lookup must not find the prototype's.
		'prototype-names.onnx': chain(
			[protoNode('Add', ['x', 'constructor'], ['toString']), protoNode('Mul', ['toString', 'constructor'], ['hasOwnProperty']), protoNode('Relu', ['hasOwnProperty'], ['valueOf'])],
			[x], [f32('valueOf', [1, 4])],
			[{ name: 'constructor', dataType: ELEM.float, dims: [1], rawData: new Uint8Array(4) }]
		),
		'proto-initializer.onnx': chain([protoNode('Add', ['x', '__proto__'], ['y'])], [x], [f32('y', [1, 4])], [{ name: '__proto__', dataType: ELEM.float, dims: [4], rawData: new Uint8Array(16) }]),
		'prototype-reads.onnx': chain([protoNode('Add', ['x', 'toString'], ['y'])], [x], [f32('y', [1, 4])]),
		'nested-if-300.onnx': nestedIfModel(300),
		'nested-if-3000.onnx': nestedIfModel(3000)
	};
}
