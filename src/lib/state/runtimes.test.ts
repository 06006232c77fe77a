/**
 * An out-of-memory in the runtimes cell carries the smaller variants on offer: a real TF.js layers model
 * whose one activation is past what any typed array may hold (1 × 131,073 × 131,073 float32, 68.7 GB),
 * measured through the runtimes client in-thread (Node has no Worker) on TF.js CPU and, as its ONNX
 * export, onnxruntime-web. No mock: both runtimes really fail to allocate it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedFile } from '../core/formats/tfjs/model-json';
import { syntheticFeeds, type InputSpec } from '../engines/feeds';
import { handleAnalysis } from '../workers/analysis-handler';
import type { AnalysisResult, RuntimeRequest } from '../workers/protocol';
import { RpcError } from '../workers/rpc';
import { failedOutcome } from './runtimes.svelte.ts';
import { ScenarioState } from './scenario.svelte.ts';
import { applySmallerVariant } from './smaller-variant';
import { createRuntimeClient } from './workers';

const PAD = 2 ** 16;
let files: NamedFile[];
let analysis: AnalysisResult;

beforeAll(async () => {
	await tf.setBackend('cpu');
	const model = tf.sequential({
		layers: [
			tf.layers.conv2d({ inputShape: [1, 1, 1], filters: 1, kernelSize: 1, kernelInitializer: 'ones' }),
			tf.layers.zeroPadding2d({ padding: [[PAD, PAD], [PAD, PAD]] })
		]
	});
	let a: tf.io.ModelArtifacts | undefined;
	await model.save(tf.io.withSaveHandler(async (art) => ((a = art), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
	model.dispose();
	const json = { format: 'layers-model', modelTopology: a!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a!.weightSpecs }] };
	files = [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) }, { name: 'w.bin', bytes: new Uint8Array(a!.weightData as ArrayBuffer) }];
	analysis = await handleAnalysis({ id: 1, type: 'analyze', bytes: new Uint8Array(), fileName: 'model.json', dims: {}, files }, () => undefined);
});

function request(runtime: RuntimeRequest['runtime']): Omit<RuntimeRequest, 'id'> {
	const dims = Object.fromEntries(Object.entries(analysis.summary.dims).map(([k, d]) => [k, d.value ?? 1]));
	return {
		type: 'measure', runtime, backend: 'cpu', files, bytes: analysis.onnxBytes, tfjsWasmPaths: '', ortWasmPaths: '',
		modelWeightBytes: analysis.summary.weightBytes, feeds: syntheticFeeds(analysis.summary.inputs as unknown as InputSpec[], dims),
		inputBasis: 'deterministic pseudo-random values', warmup: 1, runs: 1
	};
}

describe('the runtimes cell after an out-of-memory', () => {
	it('the model really needs an activation no runtime here can hold', () => {
		expect(analysis.summary.peakLiveActivationBytes).toBeGreaterThan(2 ** 32 * 4);
	});

	it.each(['tensorflow.js', 'onnxruntime-web'] as const)('%s: the failure is out-of-memory and carries int8 weights and tiling as offers', async (runtime) => {
		const client = createRuntimeClient();
		expect(client.inThread).toBe(true);
		const err = await client.request(request(runtime)).catch((e) => e);
		client.dispose();
		expect(err).toBeInstanceOf(RpcError);
		const outcome = failedOutcome(err);
		expect(outcome.code).toBe('out-of-memory');
		expect(outcome.message).toMatch(new RegExp(`^${runtime.replace('.', '\\.')} ran out of memory while running the model`));
		expect(outcome.offers.map((o) => o.id)).toEqual(['int8-weight', 'tiling']);
	});

	it('any other failure offers nothing', () => {
		expect(failedOutcome(new RpcError('engine', 'Got invalid dimensions for input: x')).offers).toEqual([]);
		expect(failedOutcome(new RpcError('worker-crashed', 'The runtimes worker stopped: boom')).offers).toEqual([]);
		expect(failedOutcome(new TypeError('x is undefined'))).toMatchObject({ code: 'internal', offers: [] });
	});

	it('applying an offer sets the scenario and opens the cell that shows it', () => {
		const scenario = new ScenarioState();
		scenario.setCellOpen('quantization', false);
		expect(applySmallerVariant(scenario, 'int8-weight')).toBe('quantization');
		expect(scenario.current.transforms.quantize).toBe('int8-weight');
		expect(scenario.current.cells).toContain('quantization');
		expect(applySmallerVariant(scenario, 'tiling')).toBe('tiling');
		expect(scenario.current.cells).toContain('tiling');
		expect(scenario.current.transforms.quantize).toBe('int8-weight');
	});
});
