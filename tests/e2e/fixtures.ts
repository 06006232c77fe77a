/**
 * What the end-to-end tests compare the page against, computed in Node with the same core the page
 * runs in its worker, plus small bad files made on the fly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze, type ModelSummary } from '../../src/lib/core/analysis/summary';
import { openFiles, openModel } from '../../src/lib/core/formats/registry';
import { findEntry, parseManifest, type ZooEntry } from '../../src/lib/core/zoo/manifest';
import { zooInputValues } from '../../src/lib/workers/analysis-handler';
import { ELEM, protoGraph, protoModelBytes, protoNode, protoValueInfo } from '../../src/lib/testing/onnx-builders';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function zooEntry(id: string): ZooEntry {
	return findEntry(parseManifest(JSON.parse(readFileSync(`${root}models/manifest.json`, 'utf8'))), id);
}

export function zooBytes(id: string): Buffer {
	return readFileSync(`${root}static/models/${id}.onnx`);
}

/** The summary the page must show for a zoo model at its default dims. */
export async function expectedZooSummary(id: string): Promise<ModelSummary> {
	const entry = zooEntry(id);
	const dims = { ...entry.defaultDims };
	const inputValues = await zooInputValues(entry, dims);
	// A TF.js entry opens from the files scripts/tfjs-sync.js serves, as the page opens them.
	const model =
		entry.format === 'tfjs'
			? openFiles(entry.files.map((f) => ({ name: f.name, bytes: new Uint8Array(readFileSync(`${root}static/models/tfjs/${id}/${f.name}`)) })))
			: openModel(new Uint8Array(zooBytes(id)), `${id}.onnx`);
	return analyze(model, { dims, inputValues });
}

/** The figures the summary view exposes as data-value, by test id. */
export function keyFigures(s: ModelSummary): Record<string, number> {
	return {
		params: s.params,
		'weight-bytes': s.weightBytes,
		macs: s.macs,
		'peak-live': s.peakLiveActivationBytes,
		'largest-activation': s.largestActivation?.bytes ?? 0,
		nodes: s.nodes,
		tensors: s.tensors
	};
}

/** The first 8 bytes of a PNG and a little more: a picture, not a model. */
export const PNG_BYTES = Buffer.from([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89
]);

export const UNKNOWN_OP = 'TightfitMysteryOp';

/** x → Relu → TightfitMysteryOp (unknown to everyone) → Relu → y. */
export function unknownOpModel(): Buffer {
	const graph = protoGraph({
		node: [
			protoNode('Relu', ['x'], ['a'], [], 'relu_in'),
			protoNode(UNKNOWN_OP, ['a'], ['b'], [], 'mystery'),
			protoNode('Relu', ['b'], ['y'], [], 'relu_out')
		],
		input: [protoValueInfo('x', ELEM.float, [1, 8, 16, 16])],
		output: [protoValueInfo('y', ELEM.float, null)]
	});
	return Buffer.from(protoModelBytes(graph));
}
