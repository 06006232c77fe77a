/**
 * Seeds and cases. A seed is a real or hand-built model (one file, or a TF.js model.json with its
 * shard); case `index` of a run with seed `runSeed` is the seed it picks with one to three mutations
 * applied, all drawn from caseRng(runSeed, index), so any case regenerates from its two numbers.
 */
import type { NamedFile } from '../formats/tfjs/model-json';
import { hostileModels } from './hostile-models';
import { type Mutator, type SeedKind, byteMutators, jsonMutators } from './mutators';
import { onnxMutators } from './onnx-mutators';
import { caseRng } from './random';

export interface Seed {
	name: string;
	kind: SeedKind;
	/** The model file first; a TF.js seed may add its weight shard. */
	files: NamedFile[];
}

export interface FuzzCase {
	index: number;
	seed: string;
	kind: SeedKind;
	/** Mutator ids applied in order, with the file each hit (`bit-flip@model.json`); empty for the seed itself. */
	mutations: string[];
	files: NamedFile[];
}

export const MUTATORS: readonly Mutator[] = [...byteMutators, ...onnxMutators, ...jsonMutators];
/** Mutators that make sense for any bytes (a weight shard has no structure of its own). */
const GENERIC = MUTATORS.filter((m) => m.kinds.length === 3);

const encoder = new TextEncoder();

/** A Keras Dense layer saved by TF.js: model.json plus its 32-byte shard (kernel 3×2, bias 2). */
export function tfjsSeeds(): Seed[] {
	const dense = {
		format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null,
		modelTopology: {
			class_name: 'Sequential',
			config: { name: 'seq', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 2, activation: 'relu', use_bias: true, batch_input_shape: [null, 3], dtype: 'float32' } }] }
		},
		weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'dense/kernel', shape: [3, 2], dtype: 'float32' }, { name: 'dense/bias', shape: [2], dtype: 'float32' }] }]
	};
	const flat = {
		format: 'layers-model', modelTopology: {
			class_name: 'Sequential',
			config: { name: 'flat', layers: [{ class_name: 'Flatten', config: { name: 'flatten', batch_input_shape: [null, 4, 4, 3] } }, { class_name: 'Activation', config: { name: 'act', activation: 'relu' } }] }
		},
		weightsManifest: []
	};
	const shard = new Uint8Array(new Float32Array([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.01, -0.02]).buffer);
	return [
		{ name: 'dense/model.json', kind: 'tfjs', files: [{ name: 'model.json', bytes: encoder.encode(JSON.stringify(dense)) }, { name: 'group1-shard1of1.bin', bytes: shard }] },
		{ name: 'flatten/model.json', kind: 'tfjs', files: [{ name: 'model.json', bytes: encoder.encode(JSON.stringify(flat)) }] }
	];
}

/** The hand-built hostile ONNX seeds. */
export function hostileSeeds(): Seed[] {
	return Object.entries(hostileModels()).map(([name, bytes]) => ({ name, kind: 'onnx', files: [{ name, bytes }] }));
}

/** Case `index`: the seeds themselves first (index < seeds.length), then mutated copies. */
export function generateCase(seeds: readonly Seed[], runSeed: number, index: number): FuzzCase {
	if (index < seeds.length) {
		const seed = seeds[index];
		return { index, seed: seed.name, kind: seed.kind, mutations: [], files: seed.files };
	}
	const rng = caseRng(runSeed, index);
	const seed = rng.pick(seeds);
	const files = seed.files.map((f) => ({ ...f }));
	const mutations: string[] = [];
	for (let n = 1 + rng.int(3), i = 0; i < n; i++) {
		const which = files.length > 1 && rng.chance(0.25) ? 1 + rng.int(files.length - 1) : 0;
		const pool = which === 0 ? MUTATORS.filter((m) => m.kinds.includes(seed.kind)) : GENERIC;
		const mutator = rng.pick(pool);
		files[which] = { name: files[which].name, bytes: mutator.mutate(files[which].bytes, rng) };
		mutations.push(`${mutator.id}@${files[which].name}`);
	}
	return { index, seed: seed.name, kind: seed.kind, mutations, files };
}
