/**
 * Import → export round trips of hand-made files: Constant nodes become weights, If branches are
 * imported as subgraphs, and the export computes what the original computes in onnxruntime-web.
 */
import { describe, expect, it } from 'vitest';
import { compareOutputs, runOnnx } from '../../../testing';
import { ELEM, protoFloatTensor, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../../testing/onnx-builders';
import { readFloat32 } from '../../ir/graph';
import { exportOnnx } from './export';
import { importOnnx } from './import';
import { onnx } from './proto';

const f32 = (dims: number[], values: number[]) => ({ dtype: 'float32' as const, dims, data: Float32Array.from(values) });

/** y = (x * w) + b + len(shape) where w comes from value_floats, b from a tensor, the shape constant from value_ints. */
function constantModel(): Uint8Array {
	return protoModelBytes(protoGraph({
		node: [
			protoNode('Constant', [], ['w'], [{ name: 'value_floats', type: 6, floats: [2, 3, 4] }]),
			protoNode('Constant', [], ['b'], [{ name: 'value', type: 4, t: protoFloatTensor('', [3], [0.5, -1, 10]) }]),
			protoNode('Constant', [], ['k'], [{ name: 'value_float', type: 1, f: 100 }]),
			protoNode('Mul', ['x', 'w'], ['xw']),
			protoNode('Add', ['xw', 'b'], ['xwb']),
			protoNode('Add', ['xwb', 'k'], ['y'])
		],
		input: [protoValueInfo('x', ELEM.float, ['batch', 3])],
		output: [protoValueInfo('y', ELEM.float, ['batch', 3])]
	}));
}

/** out = If(c) then (x + one) else (x * two), each branch with its own Constant node and reading x from the outer graph. */
function ifModel(): Uint8Array {
	const branch = (name: string, op: string, value: number) => protoGraph({
		name,
		node: [
			protoNode('Constant', [], [`${name}_k`], [{ name: 'value', type: 4, t: protoFloatTensor('', [], [value]) }]),
			protoNode(op, ['x', `${name}_k`], [`${name}_out`])
		],
		output: [protoValueInfo(`${name}_out`, ELEM.float, [2])]
	});
	return protoModelBytes(protoGraph({
		node: [protoNode('If', ['c'], ['out'], [
			{ name: 'then_branch', type: 5, g: branch('then', 'Add', 1) },
			{ name: 'else_branch', type: 5, g: branch('else', 'Mul', 2) }
		])],
		input: [protoValueInfo('c', ELEM.bool, []), protoValueInfo('x', ELEM.float, [2])],
		output: [protoValueInfo('out', ELEM.float, [2])]
	}));
}

describe('Constant nodes', () => {
	it('become weights with origin constant-node and leave the node list', () => {
		const model = importOnnx(constantModel());
		expect(model.graph.nodes.map((n) => n.opType)).toEqual(['Mul', 'Add', 'Add']);
		const { w, b, k } = model.graph.initializers;
		expect([w.origin, b.origin, k.origin]).toEqual(['constant-node', 'constant-node', 'constant-node']);
		expect([...readFloat32(w)]).toEqual([2, 3, 4]);
		expect([...readFloat32(b)]).toEqual([0.5, -1, 10]);
		expect(k.dims).toEqual([]);
		expect(model.graph.inputs.map((i) => i.name)).toEqual(['x']);
	});

	it('hold plain Uint8Array views even when the file came as a Node Buffer', () => {
		const model = importOnnx(Buffer.from(constantModel()));
		expect(model.graph.initializers.b.data.constructor).toBe(Uint8Array);
	});

	it('export computes what the original computes', async () => {
		const original = constantModel();
		const feeds = { x: f32([2, 3], [1, 2, 3, -1, -2, -3]) };
		const want = await runOnnx(original, feeds);
		const got = await runOnnx(exportOnnx(importOnnx(original)), feeds);
		expect([...(want.y.data as Float32Array)]).toEqual([102.5, 105, 122, 98.5, 93, 98]);
		expect(compareOutputs(got, want, { atol: 0, rtol: 0 })).toEqual([]);
	});
});

describe('If subgraphs', () => {
	it('import recursively, with branch Constants as branch weights', () => {
		const model = importOnnx(ifModel());
		const node = model.graph.nodes[0];
		expect(node.opType).toBe('If');
		const thenBranch = node.attrs.then_branch;
		expect(thenBranch.type).toBe('graph');
		if (thenBranch.type !== 'graph') return;
		expect(thenBranch.value.nodes.map((n) => n.opType)).toEqual(['Add']);
		expect(thenBranch.value.initializers.then_k).toMatchObject({ origin: 'constant-node', dims: [] });
		expect(Object.keys(model.graph.initializers)).toEqual([]);
	});

	it.each([[true, [2, 3]], [false, [2, 4]]])('export runs both branches (cond %s)', async (cond, expected) => {
		const feeds = { c: { dtype: 'bool' as const, dims: [], data: Uint8Array.of(cond ? 1 : 0) }, x: f32([2], [1, 2]) };
		const got = await runOnnx(exportOnnx(importOnnx(ifModel())), feeds);
		expect([...(got.out.data as Float32Array)]).toEqual(expected);
	});
});

describe('envelope and edge values', () => {
	it('keeps INT64_MAX in int attributes (Slice ends written as 2^63 − 1)', () => {
		const bytes = protoModelBytes(protoGraph({
			node: [protoNode('Slice', ['x'], ['y'], [
				{ name: 'starts', type: 7, ints: [1] },
				{ name: 'ends', type: 7, ints: [{ low: 0xffffffff, high: 0x7fffffff } as never] },
				{ name: 'axes', type: 7, ints: [0] }
			])],
			input: [protoValueInfo('x', ELEM.float, [4])],
			output: [protoValueInfo('y', ELEM.float, [3])]
		}), { opset: 9 });
		const exported = onnx.ModelProto.decode(exportOnnx(importOnnx(bytes)));
		const ends = exported.graph?.node?.[0].attribute?.find((a) => a.name === 'ends')?.ints?.[0];
		expect(String(ends)).toBe('9223372036854775807');
	});

	it('drops initializers repeated in graph.input from the inputs, and lists them again for IR 3', () => {
		const bytes = protoModelBytes(protoGraph({
			node: [protoNode('Add', ['x', 'w'], ['y'])],
			input: [protoValueInfo('x', ELEM.float, [2]), protoValueInfo('w', ELEM.float, [2])],
			initializer: [protoFloatTensor('w', [2], [1, 2])],
			output: [protoValueInfo('y', ELEM.float, [2])]
		}), { irVersion: 3, opset: 8 });
		const model = importOnnx(bytes);
		expect(model.graph.inputs.map((i) => i.name)).toEqual(['x']);
		expect(model.graph.initializers.w.origin).toBe('initializer');
		const exported = onnx.ModelProto.decode(exportOnnx(model));
		expect(exported.graph?.input?.map((i) => i.name)).toEqual(['x', 'w']);
		expect(Number(exported.irVersion)).toBe(3);
	});

	it('names unset input dims unk_<input>_<axis> and keeps dim_param names', () => {
		const bytes = protoModelBytes(protoGraph({
			node: [protoNode('Relu', ['x'], ['y'])],
			input: [protoValueInfo('x', ELEM.float, [null, 'time', 3])],
			output: [protoValueInfo('y', ELEM.float, [null, 'time', 3])],
			valueInfo: []
		}));
		const model = importOnnx(bytes);
		expect(model.graph.inputs[0].shape).toEqual(['unk_x_0', 'time', 3]);
	});

	it('keeps opsets, producer, metadata, doc string, value_info and attributes of every kind', () => {
		const bytes = onnx.ModelProto.encode({
			irVersion: 10, producerName: 'p', producerVersion: '1.2', docString: 'doc',
			opsetImport: [{ domain: '', version: 21 }, { domain: 'com.microsoft', version: 1 }],
			metadataProps: [{ key: 'author', value: 'me' }],
			graph: protoGraph({
				node: [protoNode('Custom', ['x'], ['y'], [
					{ name: 'f', type: 1, f: 0.25 }, { name: 'i', type: 2, i: -3 }, { name: 's', type: 3, s: new TextEncoder().encode('héllo') },
					{ name: 'fs', type: 6, floats: [1.5, 2] }, { name: 'is', type: 7, ints: [4, -5] },
					{ name: 'ss', type: 8, strings: [new TextEncoder().encode('a')] },
					{ name: 't', type: 4, t: protoFloatTensor('t', [1], [7]) }
				])],
				input: [protoValueInfo('x', ELEM.float, [1])],
				output: [protoValueInfo('y', ELEM.float, [1])],
				valueInfo: [protoValueInfo('mid', ELEM.float16, ['n'])]
			})
		}).finish();
		const model = importOnnx(bytes);
		const again = importOnnx(exportOnnx(model));
		expect(again).toEqual(model);
		expect(model.metadata).toEqual({ author: 'me' });
		expect(model.graph.nodes[0].attrs.s).toEqual({ type: 'string', value: 'héllo' });
		expect(model.graph.nodes[0].attrs.i).toEqual({ type: 'int', value: -3 });
		expect(model.graph.valueInfo.mid).toEqual({ name: 'mid', dtype: 'float16', shape: ['n'] });
	});
});
