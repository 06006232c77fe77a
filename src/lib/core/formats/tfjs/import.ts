/**
 * TensorFlow.js import: `model.json` plus its weight shards → the IR `Model` (ONNX opset 13 ops).
 * Quantized weights (uint8/uint16/float16 in the manifest) are dequantized to float32 at import,
 * as TF.js does at load: storage shrinks, memory after load does not. The stored size is recorded
 * in `metadata` (`tfjsStoredWeightBytes`, `tfjsWeightQuantization`) so the page can show both.
 */
import type { Graph, Model } from '../../ir/types';
import { validateGraph } from '../../ir/validate';
import { ModelFormatError, STILL_WORKS } from '../errors';
import { describeFileKind } from '../sniff';
import { graphModelGraph } from './graph-model';
import { layersGraph } from './layers';
import { type ModelJson, type NamedFile, decodeWeights, parseModelJson } from './model-json';

/** Whether bytes look like a model.json: JSON text mentioning "modelTopology" near the start. */
export function matchTfjs(bytes: Uint8Array, fileName = ''): boolean | 'maybe' {
	const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096));
	if (/^\s*\{/.test(head.replace(/^\uFEFF/, '')) && /"(modelTopology|weightsManifest)"/.test(head)) return true;
	return /\.json$/i.test(fileName) && /^\s*\{/.test(head) ? 'maybe' : false;
}

/** Picks model.json from dropped files: the one named model.json, else the only JSON that matches. */
export function findModelJson(files: NamedFile[]): NamedFile | undefined {
	const jsons = files.filter((f) => matchTfjs(f.bytes, f.name) === true);
	return jsons.find((f) => /(^|[\\/])model\.json$/i.test(f.name)) ?? jsons[0];
}

function isGraphModel(json: ModelJson): boolean {
	return json.format === 'graph-model' || Array.isArray((json.modelTopology as { node?: unknown }).node);
}

/**
 * Opens a TF.js model from its files: one model.json (layers or graph model) and the weight
 * shards its manifest names (matched by base name, in any order; extra files are ignored).
 * @throws ModelFormatError: 'invalid' (no or corrupt model.json, missing shard), 'truncated' (a
 * shard shorter than the manifest), 'unsupported' (layers or ops Tightfit does not map).
 */
export function openTfjs(files: NamedFile[]): Model {
	const main = findModelJson(files) ?? files.find((f) => /\.json$/i.test(f.name));
	if (!main) {
		const kinds = files.map((f) => `'${f.name}' (${describeFileKind(f.bytes) ?? 'unknown bytes'})`).join(', ');
		throw new ModelFormatError('invalid', `No TensorFlow.js model.json among the files given (${kinds || 'none'}). Drop model.json together with its .bin weight shards. ${STILL_WORKS}`);
	}
	const json = parseModelJson(main.bytes, main.name);
	const weights = decodeWeights(json, files, main.name);
	let graph: Graph;
	try {
		graph = isGraphModel(json) ? graphModelGraph(json.modelTopology, weights) : layersGraph(json.modelTopology, weights);
	} catch (error) {
		const message = (error as Error).message;
		const code = /not supported/.test(message) ? 'unsupported' : 'invalid';
		throw new ModelFormatError(code, `'${main.name}' could not be converted: ${message}. ${STILL_WORKS}`, main.name);
	}
	const issues = validateGraph(graph);
	if (issues.length) throw new ModelFormatError('invalid', `'${main.name}' converts to a malformed graph: ${issues[0].message} ${STILL_WORKS}`, main.name);
	const stored = [...weights.values()].reduce((s, w) => s + w.storedBytes, 0);
	const quantization = [...new Set([...weights.values()].map((w) => w.storedAs))].join(',');
	return {
		format: 'tfjs',
		graph,
		irVersion: 8,
		opsetImports: [{ domain: '', version: 13 }],
		producerName: 'tightfit-tfjs-import',
		producerVersion: String(json.generatedBy ?? ''),
		metadata: {
			tfjsFormat: isGraphModel(json) ? 'graph-model' : 'layers-model',
			tfjsGeneratedBy: String(json.generatedBy ?? ''),
			tfjsConvertedBy: String(json.convertedBy ?? ''),
			tfjsStoredWeightBytes: String(stored),
			tfjsWeightQuantization: quantization
		}
	};
}

/** `open` for the single-file registry path: a model.json without shards opens only if it needs none. */
export function importTfjsJson(bytes: Uint8Array, fileName = 'model.json'): Model {
	return openTfjs([{ name: fileName, bytes }]);
}
