/**
 * A YOLOv2-tiny-class reference CNN that the project builds itself: the layer structure of
 * Darknet's yolov2-tiny.cfg (COCO) — 3×3 conv + BatchNorm + LeakyReLU(0.1) and 2×2 max-pool
 * stacks on a 416×416×3 input, a stride-1 max-pool padded on the bottom/right as Darknet does,
 * then 1024/512 convs and a 1×1 detection conv with 5 × (80 + 5) = 425 channels. Its weights are
 * seeded random numbers: a reference architecture for memory and tiling figures, not a detector.
 */
import { fromFloat32 } from '../ir/float-view';
import type { Initializer, Model, Node } from '../ir/types';
import { gaussian, mulberry32 } from '../zoo/prng';

/** Shown with every figure of this network. */
export const REFERENCE_NET_LABEL = 'reference architecture, seeded weights, not trained';

export interface ReferenceNetOptions {
	/** Input height and width, a multiple of 32 (default 416, as YOLOv2 uses). */
	inputSize?: number;
	/** Divides every hidden layer's channel count (default 1), for small test networks. */
	channelDivisor?: number;
	/** PRNG seed of the weights (default 1). */
	seed?: number;
}

/** Darknet layers: a conv (filters) or a max-pool (stride), in order. Layer indices are Darknet's. */
const LAYERS: ({ conv: number } | { pool: number })[] = [
	{ conv: 16 }, { pool: 2 }, { conv: 32 }, { pool: 2 }, { conv: 64 }, { pool: 2 }, { conv: 128 }, { pool: 2 },
	{ conv: 256 }, { pool: 2 }, { conv: 512 }, { pool: 1 }, { conv: 1024 }, { conv: 512 }
];
const DETECTION_CHANNELS = 425;

/**
 * Builds the network as an IR model (ONNX opset 13): input `image` [1, 3, S, S], output `grid`
 * [1, 425, S/32, S/32]. Conv weights are He-scaled normals, BatchNorm statistics near identity, so
 * activations stay of order 1 at every depth.
 * @throws Error when inputSize is not a positive multiple of 32 or channelDivisor is not a positive integer.
 */
export function yolov2TinyReference(options: ReferenceNetOptions = {}): Model {
	const size = options.inputSize ?? 416;
	const divisor = options.channelDivisor ?? 1;
	if (!Number.isInteger(size) || size <= 0 || size % 32) throw new Error(`reference net input size ${size} is not a positive multiple of 32`);
	if (!Number.isInteger(divisor) || divisor < 1) throw new Error(`reference net channel divisor ${divisor} is not a positive integer`);
	const normal = gaussian(mulberry32(options.seed ?? 1));
	const nodes: Node[] = [];
	const initializers: Record<string, Initializer> = {};
	const weight = (name: string, dims: number[], values: (i: number) => number) => {
		const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
		for (let i = 0; i < data.length; i++) data[i] = values(i);
		initializers[name] = fromFloat32(data, 'float32', dims, name, 'initializer');
		return name;
	};
	const ints = (value: number[]) => ({ type: 'ints' as const, value });
	let value = 'image';
	let channels = 3;
	const conv = (index: number, filters: number, kernel: number, batchNorm: boolean) => {
		const std = Math.sqrt(2 / (channels * kernel * kernel));
		const w = weight(`layer${index}.conv.weight`, [filters, channels, kernel, kernel], () => normal() * std);
		const inputs = batchNorm ? [value, w] : [value, w, weight(`layer${index}.conv.bias`, [filters], () => 0.1 * normal())];
		const pad = (kernel - 1) / 2;
		const attrs = { kernel_shape: ints([kernel, kernel]), strides: ints([1, 1]), pads: ints([pad, pad, pad, pad]) };
		nodes.push({ name: `layer${index}.conv`, opType: 'Conv', domain: '', inputs, outputs: [`layer${index}.conv`], attrs });
		value = `layer${index}.conv`;
		channels = filters;
		if (!batchNorm) return;
		const bn = [
			weight(`layer${index}.bn.scale`, [filters], () => 1 + 0.1 * normal()),
			weight(`layer${index}.bn.bias`, [filters], () => 0.1 * normal()),
			weight(`layer${index}.bn.mean`, [filters], () => 0.1 * normal()),
			weight(`layer${index}.bn.var`, [filters], () => 1 + 0.2 * Math.abs(normal()))
		];
		nodes.push({ name: `layer${index}.bn`, opType: 'BatchNormalization', domain: '', inputs: [value, ...bn], outputs: [`layer${index}.bn`], attrs: { epsilon: { type: 'float', value: 1e-5 } } });
		nodes.push({ name: `layer${index}.leaky`, opType: 'LeakyRelu', domain: '', inputs: [`layer${index}.bn`], outputs: [`layer${index}.leaky`], attrs: { alpha: { type: 'float', value: 0.1 } } });
		value = `layer${index}.leaky`;
	};
	LAYERS.forEach((layer, index) => {
		if ('conv' in layer) return conv(index, Math.max(1, Math.round(layer.conv / divisor)), 3, true);
		// Darknet pads a stride-1 2×2 max-pool by one on the bottom and right so the 13×13 map keeps its size.
		const pads = layer.pool === 1 ? [0, 0, 1, 1] : [0, 0, 0, 0];
		const attrs = { kernel_shape: ints([2, 2]), strides: ints([layer.pool, layer.pool]), pads: ints(pads) };
		nodes.push({ name: `layer${index}.maxpool`, opType: 'MaxPool', domain: '', inputs: [value], outputs: [`layer${index}.maxpool`], attrs });
		value = `layer${index}.maxpool`;
	});
	conv(LAYERS.length, DETECTION_CHANNELS, 1, false);
	nodes.push({ name: 'grid', opType: 'Identity', domain: '', inputs: [value], outputs: ['grid'], attrs: {} });
	return {
		format: 'onnx',
		graph: {
			name: 'yolov2-tiny-reference',
			nodes,
			inputs: [{ name: 'image', dtype: 'float32', shape: [1, 3, size, size] }],
			outputs: [{ name: 'grid', dtype: 'float32', shape: [1, DETECTION_CHANNELS, size / 32, size / 32] }],
			initializers,
			valueInfo: {}
		},
		irVersion: 8,
		opsetImports: [{ domain: '', version: 13 }],
		producerName: 'tightfit',
		producerVersion: '1',
		docString: `YOLOv2-tiny-class network (${REFERENCE_NET_LABEL})`,
		metadata: { 'tightfit.label': REFERENCE_NET_LABEL, 'tightfit.seed': String(options.seed ?? 1) }
	};
}
