import { describe, expect, it } from 'vitest';
import { broadcastShapes } from './elementwise';
import { inferShapes } from './infer';
import { reshapeTarget } from './reshape';
import { floats, int, int64s, ints, model, node, str, t } from './test-graph';
import type { Dim } from '../ir/types';

const shapeOf = (m: ReturnType<typeof model>, name: string, opts?: Parameters<typeof inferShapes>[2], dims: Record<string, number> = {}) =>
	inferShapes(m, dims, opts).values[name]?.shape;

describe('broadcasting', () => {
	it.each<[Dim[], Dim[], Dim[]]>([
		[[3, 4, 5], [5], [3, 4, 5]],
		[[2, 1, 4], [3, 1], [2, 3, 4]],
		[[], [2, 3], [2, 3]],
		[['N', 1], [1, 4], ['N', 4]],
		[['N', 4], [1], ['N', 4]],
		[['N', 1], [7, 'C'], [7, 'C']]
	])('%j with %j', (a, b, want) => {
		expect(broadcastShapes(a, b)).toEqual(want);
		expect(broadcastShapes(b, a).length).toBe(want.length);
	});
	it('rejects incompatible sizes', () => {
		expect(() => broadcastShapes([3, 4], [5])).toThrow(/broadcast/);
	});
	it('an Add of incompatible inputs is reported, not thrown', () => {
		const m = model([node('Add', ['a', 'b'], ['c']), node('Relu', ['x'], ['y'])], [t('a', 'float32', [2, 3]), t('b', 'float32', [4]), t('x', 'float32', [5])]);
		const r = inferShapes(m, {});
		expect(r.unsupported.map((u) => u.opType)).toEqual(['Add']);
		expect(r.values.y.shape).toEqual([5]);
	});
});

describe('Reshape 0 / -1', () => {
	it.each<[Dim[], Dim[], Dim[]]>([
		[[2, 3, 4], [0, -1], [2, 12]],
		[[2, 3, 4], [-1], [24]],
		[[2, 3, 4], [4, 0, -1], [4, 3, 2]],
		[['N', 3, 4], [0, -1], ['N', 12]],
		[['N', 3, 4], [-1, 4], ['3*N', 4]]
	])('[%j] → %j', (input, target, want) => {
		expect(reshapeTarget(input, target, false, 't')).toEqual(want);
	});
	it('allowzero keeps a literal 0', () => {
		expect(reshapeTarget([0, 3], [3, 0], true, 't')).toEqual([3, 0]);
	});
	it('two -1s are an error', () => {
		expect(() => reshapeTarget([6], [-1, -1], false, 't')).toThrow(/more than one/);
	});
	it('a target computed by Shape → Gather → Unsqueeze → Concat folds, with a symbolic batch', () => {
		const m = model(
			[
				node('Shape', ['x'], ['s']),
				node('Gather', ['s', 'zero'], ['n'], { axis: int(0) }),
				node('Unsqueeze', ['n', 'axes0'], ['n1']),
				node('Concat', ['n1', 'minus1'], ['target'], { axis: int(0) }),
				node('Reshape', ['x', 'target'], ['y'])
			],
			[t('x', 'float32', ['batch', 3, 8, 8])],
			[int64s('zero', [0], []), int64s('axes0', [0]), int64s('minus1', [-1])]
		);
		expect(shapeOf(m, 'y')).toEqual(['batch', 192]);
		expect(shapeOf(m, 'y', {}, { batch: 2 })).toEqual([2, 192]);
	});
});

describe('Conv auto_pad and pooling', () => {
	const conv = (autoPad: string, size: number, stride: number) =>
		shapeOf(
			model([node('Conv', ['x', 'w'], ['y'], { auto_pad: str(autoPad), strides: ints([stride, stride]) })], [t('x', 'float32', [1, 2, size, size])], [floats('w', [8, 2, 3, 3])]),
			'y'
		);
	it('SAME_UPPER gives ceil(in / stride)', () => {
		expect(conv('SAME_UPPER', 5, 2)).toEqual([1, 8, 3, 3]);
		expect(conv('SAME_UPPER', 7, 2)).toEqual([1, 8, 4, 4]);
		expect(conv('SAME_LOWER', 6, 1)).toEqual([1, 8, 6, 6]);
	});
	it('VALID and explicit pads', () => {
		expect(conv('VALID', 7, 2)).toEqual([1, 8, 3, 3]);
		const m = model([node('Conv', ['x', 'w'], ['y'], { pads: ints([1, 1, 1, 1]), dilations: ints([2, 2]) })], [t('x', 'float32', [1, 2, 9, 9])], [floats('w', [8, 2, 3, 3])]);
		expect(shapeOf(m, 'y')).toEqual([1, 8, 7, 7]);
	});
	const pool = (op: string, size: number, attrs: Record<string, ReturnType<typeof int>>) =>
		shapeOf(model([node(op, ['x'], ['y'], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), ...attrs })], [t('x', 'float32', [1, 1, size, size])]), 'y');
	it('ceil_mode rounds up the window count', () => {
		expect(pool('MaxPool', 4, {})).toEqual([1, 1, 1, 1]);
		expect(pool('MaxPool', 4, { ceil_mode: int(1) })).toEqual([1, 1, 2, 2]);
	});
	it('ceil_mode drops a last window that would start in the end padding', () => {
		const m = model(
			[node('AveragePool', ['x'], ['y'], { kernel_shape: ints([2]), strides: ints([2]), pads: ints([1, 1]), ceil_mode: int(1) })],
			[t('x', 'float32', [1, 1, 5])]
		);
		// ceil((5 + 2 − 2) / 2) + 1 = 4 windows, but the 4th would start at 6 ≥ 5 + 1: 3.
		expect(shapeOf(m, 'y')).toEqual([1, 1, 3]);
	});
});

describe('Split variants', () => {
	const split = (attrs: Record<string, ReturnType<typeof int>>, outputs: number, opset: number, splitInput?: number[]) => {
		const inputs = splitInput ? ['x', 'split'] : ['x'];
		const outs = Array.from({ length: outputs }, (_, i) => `y${i}`);
		const m = model([node('Split', inputs, outs, attrs)], [t('x', 'float32', [7, 2])], splitInput ? [int64s('split', splitInput)] : [], opset);
		const r = inferShapes(m, {});
		return outs.map((o) => r.values[o].shape);
	};
	it('num_outputs (opset 18): ceil-sized chunks, last smaller', () => {
		expect(split({ num_outputs: int(3) }, 3, 18)).toEqual([[3, 2], [3, 2], [1, 2]]);
	});
	it('split sizes as an input (opset 13+)', () => {
		expect(split({}, 2, 13, [2, 5])).toEqual([[2, 2], [5, 2]]);
	});
	it('split sizes as an attribute (opset < 13) and along axis 1', () => {
		expect(split({ split: ints([1, 1]), axis: int(1) }, 2, 11)).toEqual([[7, 1], [7, 1]]);
	});
	it('no sizes: equal parts', () => {
		const m = model([node('Split', ['x'], ['a', 'b', 'c'])], [t('x', 'float32', [6])], [], 13);
		expect(['a', 'b', 'c'].map((n) => inferShapes(m, {}).values[n].shape)).toEqual([[2], [2], [2]]);
	});
});

describe('If', () => {
	const branch = (name: string, op: string) => ({
		name,
		nodes: [node(op, ['x'], [`${name}_y`])],
		inputs: [],
		outputs: [t(`${name}_y`, 'float32', null)],
		initializers: {},
		valueInfo: {}
	});
	const ifModel = () =>
		model(
			[node('Equal', ['sr', 'k16000'], ['cond']), node('If', ['cond'], ['y'], { then_branch: { type: 'graph', value: branch('then', 'Relu') }, else_branch: { type: 'graph', value: { ...branch('else', 'Transpose') } } })],
			[t('x', 'float32', [2, 3]), t('sr', 'int64', [])],
			[int64s('k16000', [16000], [])]
		);
	it('follows the branch a folded condition picks', () => {
		expect(inferShapes(ifModel(), {}, { inputValues: { sr: [16000] } }).takenBranches).toEqual({ y: { branch: 'then_branch', reason: 'condition-folded' } });
		expect(shapeOf(ifModel(), 'y', { inputValues: { sr: [16000] } })).toEqual([2, 3]);
		expect(shapeOf(ifModel(), 'y', { inputValues: { sr: [8000] } })).toEqual([3, 2]);
	});
	it('merges both branches when the condition is unknown', () => {
		const r = inferShapes(ifModel(), {});
		expect(r.unsupported).toEqual([]);
		expect(r.values.y.shape?.length).toBe(2);
		expect(r.values.y.dtype).toBe('float32');
		expect(r.takenBranches).toEqual({});
	});
	it('takes the only branch that infers when the condition is unknown', () => {
		const m = ifModel();
		const bad = { ...branch('else', 'MatMul'), nodes: [node('MatMul', ['x', 'x'], ['else_y'])] };
		m.graph.nodes[1].attrs.else_branch = { type: 'graph', value: bad };
		const r = inferShapes(m, {});
		expect(r.unsupported).toEqual([]);
		expect(r.takenBranches).toEqual({ y: { branch: 'then_branch', reason: 'other-branch-invalid' } });
		expect(r.values.y.shape).toEqual([2, 3]);
	});
});

it('an unknown operator is reported by name and the rest still runs', () => {
	const m = model([node('FancyOp', ['x'], ['a']), node('Relu', ['x'], ['b']), node('Relu', ['a'], ['c'])], [t('x', 'float32', [4])]);
	const r = inferShapes(m, {});
	expect(r.unsupported).toEqual([{ node: 'FancyOp_a', opType: 'FancyOp', message: expect.stringContaining('FancyOp') }]);
	expect(r.values.b.shape).toEqual([4]);
	expect(r.values.c.shape).toBeNull();
});

describe('older opsets take attributes where newer ones take inputs', () => {
	const one = (op: string, attrs: Parameters<typeof node>[3], opset: number, shape: Dim[] = [2, 3, 4], inputs = ['x']) =>
		shapeOf(model([node(op, inputs, ['y'], attrs)], [t('x', 'float32', shape)], [], opset), 'y');
	it('Slice (opset 9: starts/ends/axes attributes)', () => {
		expect(one('Slice', { starts: ints([1, 0]), ends: ints([1000, -1]), axes: ints([0, 2]) }, 9)).toEqual([1, 3, 3]);
	});
	it('Pad (opset 2: pads attribute)', () => {
		expect(one('Pad', { pads: ints([0, 1, 0, 0, 1, 2]) }, 2)).toEqual([2, 5, 6]);
	});
	it('Squeeze / Unsqueeze / ReduceSum (opset 11: axes attribute)', () => {
		expect(one('Squeeze', { axes: ints([0]) }, 11, [1, 3])).toEqual([3]);
		expect(one('Unsqueeze', { axes: ints([0, 3]) }, 11, [2, 3])).toEqual([1, 2, 3, 1]);
		expect(one('ReduceSum', { axes: ints([1]), keepdims: int(0) }, 11)).toEqual([2, 4]);
	});
	it('Upsample (opset 7: scales attribute)', () => {
		const m = model([node('Upsample', ['x'], ['y'], { scales: { type: 'floats', value: [1, 1, 2, 2] } })], [t('x', 'float32', [1, 3, 4, 5])], [], 7);
		expect(shapeOf(m, 'y')).toEqual([1, 3, 8, 10]);
	});
});
