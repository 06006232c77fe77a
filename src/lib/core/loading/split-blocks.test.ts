/**
 * Block splitting on the zoo: running the blocks in sequence in onnxruntime-web (Node) gives the whole model's
 * outputs, for a few block counts per model, and every cut carries what crosses it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../formats/onnx/export';
import { importOnnx } from '../formats/onnx/import';
import { inferShapes } from '../shapes/infer';
import { representativeInput } from '../zoo/inputs';
import { parseManifest, resolveDims, type ZooEntry } from '../zoo/manifest';
import { compareOutputs, runOnnx, type TensorMap } from '../../testing/ort-node';
import { runBlocks, splitIntoBlocks } from './split-blocks';

const root = new URL('../../../../', import.meta.url);
const manifest = parseManifest(JSON.parse(readFileSync(new URL('models/manifest.json', root), 'utf8')));
const fileOf = (entry: ZooEntry) => new Uint8Array(readFileSync(new URL(`node_modules/${entry.source.package}/${entry.source.path}`, root)));

/** Small dims keep the detector quick; the others run at their defaults. */
const smallDims: Record<string, Record<string, number>> = {
	'ppocr-v4-det': { 'p2o.DynamicDimension.0': 1, 'p2o.DynamicDimension.1': 160, 'p2o.DynamicDimension.2': 160 }
};

describe.each(manifest.models.map((e) => [e.id, e] as const))('splitIntoBlocks on %s', (_id, entry) => {
	it('blocks run in sequence give the whole model\'s outputs', async () => {
		const bytes = fileOf(entry);
		const model = importOnnx(bytes);
		const dims = resolveDims(entry, smallDims[entry.id] ?? {});
		const feeds = representativeInput(entry, dims) as TensorMap;
		const inputValues = Object.fromEntries(
			Object.entries(feeds).filter(([, v]) => v.data.length <= 8 && typeof v.data[0] !== 'string').map(([k, v]) => [k, v.data as ArrayLike<number | bigint>])
		);
		const { values } = inferShapes(model, dims, { inputValues: entry.id.startsWith('silero') ? inputValues : undefined });
		const expected = await runOnnx(bytes, feeds);
		const nodeCount = model.graph.nodes.filter((n) => n.opType !== 'Constant').length;
		for (const count of [2, 5, Math.min(nodeCount, 24)]) {
			const blocks = splitIntoBlocks(model, values, count);
			// Silero's top level is a handful of nodes around an If: a block count above that gives one block per node.
			expect(blocks.length).toBe(Math.min(count, nodeCount));
			const total = blocks.reduce((s, b) => s + b.nodes.length, 0);
			expect(total).toBe(nodeCount);
			const env = await runBlocks(blocks, feeds, (m, f) => runOnnx(exportOnnx(m), f));
			const got = Object.fromEntries(Object.keys(expected).map((k) => [k, env[k]]));
			expect(compareOutputs(got, expected, { rtol: 1e-5, atol: 1e-6 }), `${count} blocks`).toEqual([]);
		}
	});
});

describe('splitIntoBlocks on a hand graph', () => {
	it('carries a value that skips a block and copies a shared weight into both readers', () => {
		const w = { name: 'w', dtype: 'float32' as const, dims: [1], data: new Uint8Array(4), origin: 'initializer' as const };
		const t = (name: string) => ({ name, dtype: 'float32' as const, shape: [1] });
		const model = {
			format: 'onnx' as const, irVersion: 8, opsetImports: [{ domain: '', version: 17 }], producerName: '', producerVersion: '', metadata: {},
			graph: {
				name: 'g', initializers: { w }, valueInfo: {}, inputs: [t('x')], outputs: [t('z')],
				nodes: [
					{ name: 'a', opType: 'Add', domain: '', inputs: ['x', 'w'], outputs: ['a'], attrs: {} },
					{ name: 'b', opType: 'Relu', domain: '', inputs: ['a'], outputs: ['b'], attrs: {} },
					{ name: 'c', opType: 'Mul', domain: '', inputs: ['b', 'w'], outputs: ['c'], attrs: {} },
					{ name: 'z', opType: 'Add', domain: '', inputs: ['c', 'a'], outputs: ['z'], attrs: {} }
				]
			}
		};
		const values = Object.fromEntries(['x', 'a', 'b', 'c', 'z'].map((n) => [n, t(n)]));
		const blocks = splitIntoBlocks(model, values, [1, 2, 3]);
		expect(blocks.map((b) => [b.inputs, b.outputs])).toEqual([
			[['x'], ['a']],
			[['a'], ['b']],
			[['b'], ['c']],
			[['c', 'a'], ['z']]
		]);
		expect(blocks.map((b) => Object.keys(b.model.graph.initializers))).toEqual([['w'], [], ['w'], []]);
		expect(() => splitIntoBlocks(model, values, [2, 2])).toThrow(/rise strictly/);
	});
});
