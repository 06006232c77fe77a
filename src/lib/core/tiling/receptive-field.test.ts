import { describe, expect, it } from 'vitest';
import { parseGrid, partitionStack, splitBounds } from './partition';
import {
	clipInterval, inputInterval, paddingOf, receptiveField, type AxisWindow
} from './receptive-field';
import { yolov2TinyReference } from './reference-net';
import { fusedStack } from './stack';

const win = (kernel: number, stride: number, padBegin = 0, padEnd = padBegin, dilation = 1): AxisWindow => ({ kernel, stride, dilation, padBegin, padEnd });

describe('receptive-field arithmetic (hand-computed)', () => {
	it('3×3 conv, stride 1, pad 1: one row of halo each side, padding at the border', () => {
		const i = inputInterval({ start: 0, end: 4 }, win(3, 1, 1));
		expect(i).toEqual({ start: -1, end: 5 });
		expect(clipInterval(i, 8)).toEqual({ start: 0, end: 5 });
		expect(paddingOf(i, 8)).toEqual([1, 0]);
	});

	it('3×3 conv, stride 2, pad 1: out 2..4 reads 3..9, out 0 reads −1..1', () => {
		expect(inputInterval({ start: 2, end: 5 }, win(3, 2, 1))).toEqual({ start: 3, end: 10 });
		expect(inputInterval({ start: 0, end: 1 }, win(3, 2, 1))).toEqual({ start: -1, end: 2 });
		expect(paddingOf({ start: 3, end: 10 }, 10)).toEqual([0, 0]);
	});

	it('3×3 conv, dilation 2, pad 2: span 5', () => {
		expect(inputInterval({ start: 0, end: 2 }, win(3, 1, 2, 2, 2))).toEqual({ start: -2, end: 4 });
		expect(inputInterval({ start: 5, end: 6 }, win(3, 1, 2, 2, 2))).toEqual({ start: 3, end: 8 });
	});

	it('2×2 max-pool stride 2 has no halo; Darknet stride-1 pool pads one at the end', () => {
		expect(inputInterval({ start: 3, end: 6 }, win(2, 2))).toEqual({ start: 6, end: 12 });
		const i = inputInterval({ start: 10, end: 13 }, win(2, 1, 0, 1));
		expect(i).toEqual({ start: 10, end: 14 });
		expect(paddingOf(i, 13)).toEqual([0, 1]);
	});

	it('receptive field of chains: size, jump, overlap', () => {
		expect(receptiveField([win(3, 1), win(3, 1), win(3, 1)])).toEqual({ size: 7, jump: 1, overlap: 6 });
		expect(receptiveField([win(3, 2), win(3, 1)])).toEqual({ size: 7, jump: 2, overlap: 5 });
		expect(receptiveField([win(3, 1), win(2, 2), win(3, 1)])).toEqual({ size: 8, jump: 2, overlap: 6 });
		expect(receptiveField([win(3, 1, 2, 2, 2)])).toEqual({ size: 5, jump: 1, overlap: 4 });
		expect(receptiveField([win(2, 2), win(2, 2)])).toEqual({ size: 4, jump: 4, overlap: 0 });
	});
});

describe('partition', () => {
	it('splits into near-equal blocks and parses grids', () => {
		expect(splitBounds(10, 3)).toEqual([0, 3, 6, 10]);
		expect(splitBounds(5, 5)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(() => splitBounds(4, 5)).toThrow(/cannot split/);
		expect(parseGrid('3x4')).toEqual({ rows: 3, cols: 4 });
		expect(parseGrid('5')).toEqual({ rows: 5, cols: 5 });
		expect(() => parseGrid('3by3')).toThrow(/bad grid/);
	});

	it('traces conv3 → pool2/2 → conv3 tiles back to hand-computed crops with border padding', () => {
		const stack = fusedStack(yolov2TinyReference({ inputSize: 64, channelDivisor: 8 }), { layers: 3 });
		expect(stack.shapes[stack.output]).toEqual([1, 4, 32, 32]);
		const p = partitionStack(stack, { rows: 2, cols: 2 });
		const [first, , , last] = p.tiles;
		expect(first.output.rows).toEqual({ start: 0, end: 16 });
		expect(first.input).toEqual({ rows: { start: 0, end: 35 }, cols: { start: 0, end: 35 } });
		expect(last.input).toEqual({ rows: { start: 29, end: 64 }, cols: { start: 29, end: 64 } });
		// Neighbouring crops overlap by the chain's receptive-field overlap (8 − 2 = 6 rows).
		expect(first.input.rows.end - last.input.rows.start).toBe(6);
		expect(first.reads[0].pads).toEqual([1, 1, 0, 0]);
		expect(last.reads[0].pads).toEqual([0, 0, 1, 1]);
		const convIndex = stack.nodes.findIndex((n) => n.node.name === 'layer2.conv');
		expect(last.reads[convIndex]).toEqual({ region: { rows: { start: 15, end: 32 }, cols: { start: 15, end: 32 } }, pads: [0, 0, 1, 1] });
	});

	it('stops the stack at the first op that is not spatially local, and never cuts inside an elementwise chain', () => {
		const stack = fusedStack(yolov2TinyReference({ inputSize: 64, channelDivisor: 8 }));
		expect(stack.layers).toBe(15);
		expect(stack.output).toBe('grid');
		const three = fusedStack(yolov2TinyReference({ inputSize: 64, channelDivisor: 8 }), { layers: 1 });
		expect(three.nodes.map((n) => n.node.opType)).toEqual(['Conv', 'BatchNormalization', 'LeakyRelu']);
	});
});
