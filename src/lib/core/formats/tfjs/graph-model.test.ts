/**
 * TF.js graph models written by hand here (a GraphDef topology in model.json with seeded weights,
 * since TF.js in JS cannot convert to the graph format): the import, exported to ONNX and run in
 * onnxruntime-web, matches TF.js's own execution of the same model (`tf.loadGraphModel`, CPU backend).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/summary';
import { compareOutputs, runOnnx } from '../../../testing';
import { exportOnnx } from '../onnx/export';
import { ModelFormatError } from '../errors';
import { openTfjs } from './import';
import type { NamedFile, WeightSpec } from './model-json';
import type { TfAttr, TfNode } from './graph-model';

let seed = 11;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;

const b64 = (s: string) => btoa(s);
const A = {
	type: (t = 'DT_FLOAT'): TfAttr => ({ type: t }),
	s: (s: string): TfAttr => ({ s: b64(s) }),
	ints: (v: number[]): TfAttr => ({ list: { i: v.map(String) } }),
	strs: (v: string[]): TfAttr => ({ list: { s: v.map(b64) } }),
	f: (f: number): TfAttr => ({ f }),
	b: (b: boolean): TfAttr => ({ b })
};

/** A graph model under construction: nodes plus the Const values that go into the shard. */
class GraphDef {
	nodes: TfNode[] = [];
	specs: WeightSpec[] = [];
	private chunks: Uint8Array[] = [];

	node(name: string, op: string, input: string[], attr: Record<string, TfAttr> = {}): string {
		this.nodes.push({ name, op, input, attr: { T: A.type(), ...attr } });
		return name;
	}
	input(name: string, shape: number[]): string {
		this.nodes.push({ name, op: 'Placeholder', attr: { dtype: A.type(), shape: { shape: { dim: shape.map((size) => ({ size: String(size) })) } } } });
		return name;
	}
	floats(name: string, shape: number[], scale = 0.5): string {
		const n = shape.reduce((a, b) => a * b, 1);
		return this.constant(name, shape, 'float32', new Uint8Array(Float32Array.from({ length: n }, () => random() * scale).buffer));
	}
	fixed(name: string, shape: number[], values: number[]): string {
		return this.constant(name, shape, 'float32', new Uint8Array(Float32Array.from(values).buffer));
	}
	int32s(name: string, shape: number[], values: number[]): string {
		return this.constant(name, shape, 'int32', new Uint8Array(Int32Array.from(values).buffer));
	}
	private constant(name: string, shape: number[], dtype: 'float32' | 'int32', bytes: Uint8Array): string {
		this.nodes.push({ name, op: 'Const', attr: { dtype: A.type(dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT'), value: { tensor: {} } } });
		this.specs.push({ name, shape, dtype });
		this.chunks.push(bytes);
		return name;
	}
	shard(): Uint8Array {
		const out = new Uint8Array(this.chunks.reduce((s, c) => s + c.length, 0));
		this.chunks.reduce((at, c) => (out.set(c, at), at + c.length), 0);
		return out;
	}
	files(): NamedFile[] {
		const json = { format: 'graph-model', generatedBy: '2.16.1', convertedBy: 'hand-written test', modelTopology: { node: this.nodes, library: {}, versions: { producer: 1808 } }, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: this.specs }] };
		return [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) }, { name: 'group1-shard1of1.bin', bytes: this.shard() }];
	}
}

const conv = { strides: A.ints([1, 1, 1, 1]), padding: A.s('SAME'), data_format: A.s('NHWC'), dilations: A.ints([1, 1, 1, 1]) };

/** A small CNN touching every op the importer maps, with two outputs. */
function buildGraph(): GraphDef {
	const g = new GraphDef();
	const x = g.input('image', [-1, 10, 10, 3]);
	const mean = g.floats('mean', [3]);
	const centred = g.node('centred', 'Sub', [x, mean]);
	const scaled = g.node('scaled', 'RealDiv', [centred, g.fixed('two', [], [2])]);
	const padded = g.node('pad', 'Pad', [scaled, g.int32s('paddings', [4, 2], [0, 0, 1, 0, 0, 1, 0, 0])], { Tpaddings: A.type('DT_INT32') });
	const c1 = g.node('conv1', '_FusedConv2D', [padded, g.floats('conv1/w', [3, 3, 3, 8]), g.floats('conv1/b', [8])], { ...conv, strides: A.ints([1, 2, 2, 1]), fused_ops: A.strs(['BiasAdd', 'Relu']), num_args: { i: '1' } });
	const dw = g.node('dw', 'DepthwiseConv2dNative', [c1, g.floats('dw/w', [3, 3, 8, 2])], conv);
	const dwb = g.node('dw/bias', 'BiasAdd', [dw, g.floats('dw/b', [16])], { data_format: A.s('NHWC') });
	const r6 = g.node('dw/relu6', 'Relu6', [dwb]);
	const pw = g.node('pw', 'Conv2D', [c1, g.floats('pw/w', [1, 1, 8, 16])], { ...conv, padding: A.s('VALID') });
	const sum = g.node('sum', 'AddV2', [r6, pw]);
	const scaledSum = g.node('mul', 'Mul', [sum, g.floats('gain', [16])]);
	const leaky = g.node('leaky', 'LeakyRelu', [scaledSum], { alpha: A.f(0.1) });
	const mp = g.node('maxpool', 'MaxPool', [leaky], { ksize: A.ints([1, 2, 2, 1]), strides: A.ints([1, 2, 2, 1]), padding: A.s('SAME'), data_format: A.s('NHWC') });
	const ap = g.node('avgpool', 'AvgPool', [leaky], { ksize: A.ints([1, 3, 3, 1]), strides: A.ints([1, 2, 2, 1]), padding: A.s('SAME'), data_format: A.s('NHWC') });
	const cat = g.node('concat', 'ConcatV2', [mp, ap, g.int32s('concat/axis', [], [-1])], { N: { i: '2' }, Tidx: A.type('DT_INT32') });
	const elu = g.node('elu', 'Elu', [cat]);
	const gap = g.node('gap', 'Mean', [elu, g.int32s('gap/axes', [2], [1, 2])], { keep_dims: A.b(false), Tidx: A.type('DT_INT32') });
	const fc = g.node('fc', '_FusedMatMul', [gap, g.floats('fc/w', [32, 6]), g.floats('fc/b', [6])], { transpose_a: A.b(false), transpose_b: A.b(false), fused_ops: A.strs(['BiasAdd', 'Sigmoid']), num_args: { i: '1' } });
	const fc2 = g.node('fc2', 'MatMul', [fc, g.floats('fc2/w', [4, 6])], { transpose_a: A.b(false), transpose_b: A.b(true) });
	const fc2b = g.node('fc2/bias', 'BiasAdd', [fc2, g.floats('fc2/b', [4])]);
	const reshaped = g.node('reshape', 'Reshape', [fc2b, g.int32s('reshape/shape', [3], [-1, 2, 2])], { Tshape: A.type('DT_INT32') });
	const expanded = g.node('expand', 'ExpandDims', [reshaped, g.int32s('expand/axis', [], [1])], { Tdim: A.type('DT_INT32') });
	const squeezed = g.node('squeeze', 'Squeeze', [expanded], { squeeze_dims: A.ints([1]) });
	const flat = g.node('flat', 'Reshape', [squeezed, g.int32s('flat/shape', [2], [-1, 4])], { Tshape: A.type('DT_INT32') });
	g.node('probs', 'Softmax', [flat]);
	// A second output that keeps NHWC spatial layout: the Sigmoid of the pooled map.
	g.node('heat', 'Identity', [g.node('heat/sigmoid', 'Sigmoid', [mp])]);
	return g;
}

describe('TF.js graph model import', () => {
	let g: GraphDef;
	let files: NamedFile[];
	const dims = [2, 10, 10, 3];
	let input: Float32Array;

	beforeAll(async () => {
		await tf.setBackend('cpu');
		g = buildGraph();
		files = g.files();
		input = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, random);
	});

	it('outputs match tf.loadGraphModel on the CPU backend', async () => {
		const model = openTfjs(files);
		expect(model.metadata.tfjsFormat).toBe('graph-model');
		expect(model.graph.inputs).toEqual([{ name: 'image', dtype: 'float32', shape: ['batch', 10, 10, 3] }]);
		const ops = new Set(model.graph.nodes.map((n) => n.opType));
		for (const op of ['Sub', 'Div', 'Pad', 'Conv', 'Relu', 'Clip', 'Add', 'Mul', 'LeakyRelu', 'MaxPool', 'AveragePool', 'Concat', 'Elu', 'ReduceMean', 'Gemm', 'Sigmoid', 'Reshape', 'Unsqueeze', 'Squeeze', 'Softmax']) expect(ops).toContain(op);
		const summary = analyze(model, { dims: { batch: 2 } });
		expect(summary.outputs.map((o) => o.shape)).toEqual([[2, 4], [2, 3, 3, 16]]);

		const artifacts: tf.io.ModelArtifacts = { modelTopology: JSON.parse(new TextDecoder().decode(files[0].bytes)).modelTopology, weightSpecs: g.specs as tf.io.WeightsManifestEntry[], weightData: files[1].bytes.slice().buffer, format: 'graph-model' };
		const tfModel = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
		const expected = tf.tidy(() => {
			const outs = tfModel.execute({ image: tf.tensor4d(input, dims as [number, number, number, number]) }, ['probs', 'heat']) as tf.Tensor[];
			return outs.map((t) => ({ dims: t.shape, data: t.dataSync() as Float32Array }));
		});
		tfModel.dispose();
		const got = await runOnnx(exportOnnx(model), { image: { dtype: 'float32', dims, data: input } });
		const names = model.graph.outputs.map((o) => o.name);
		expect(compareOutputs({ probs: got[names[0]], heat: got[names[1]] }, { probs: { dtype: 'float32', ...expected[0] }, heat: { dtype: 'float32', ...expected[1] } }, { atol: 1e-4, rtol: 0 })).toEqual([]);
	});

	it('keeps convolution chains in NCHW without transposes between them', () => {
		const model = openTfjs(files);
		const transposes = model.graph.nodes.filter((n) => n.opType === 'Transpose');
		// One into NCHW after the Pad, one out for the NHWC 'heat' output and one before the channel-last Concat/Mean path at most.
		expect(transposes.length).toBeLessThanOrEqual(3);
	});

	it('names the node of an unsupported op', () => {
		const bad = new GraphDef();
		bad.node('odd', 'Cumsum', [bad.input('x', [1, 4])]);
		try {
			openTfjs(bad.files());
			throw new Error('expected an error');
		} catch (e) {
			expect(e).toBeInstanceOf(ModelFormatError);
			expect((e as ModelFormatError).code).toBe('unsupported');
			expect((e as Error).message).toMatch(/TensorFlow op 'Cumsum' \(node 'odd'\) is not supported/);
		}
	});

	it('names a constant missing from the manifest', () => {
		const bad = new GraphDef();
		const x = bad.input('x', [1, 4]);
		bad.nodes.push({ name: 'w', op: 'Const', attr: {} });
		bad.node('y', 'MatMul', [x, 'w']);
		expect(() => openTfjs(bad.files())).toThrow(/constant 'w' is not in the weightsManifest/);
	});
});
