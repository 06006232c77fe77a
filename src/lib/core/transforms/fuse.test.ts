import { describe, expect, it } from 'vitest';
import { fuse } from './fuse';
import { buildModel, feed, fingerprint, loadZoo, relativeError, runModel, seededValues, tensor, zooFeeds, type ZooName } from './test-support';

describe('fuse on a hand-built graph', () => {
	const model = buildModel(
		[
			{ op: 'Conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { pads: { type: 'ints', value: [1, 1, 1, 1] } } },
			{ op: 'BatchNormalization', inputs: ['c', 'g', 'b', 'm', 'v'], outputs: ['bn'], attrs: { epsilon: { type: 'float', value: 1e-3 } } },
			{ op: 'Add', inputs: ['bn', 'k'], outputs: ['a'] },
			{ op: 'Relu', inputs: ['a'], outputs: ['r'] },
			{ op: 'Identity', inputs: ['r'], outputs: ['id'] },
			{ op: 'Reshape', inputs: ['id', 's1'], outputs: ['flat1'] },
			{ op: 'Reshape', inputs: ['flat1', 's2'], outputs: ['flat'] },
			{ op: 'MatMul', inputs: ['flat', 'mw'], outputs: ['mm'] },
			{ op: 'Add', inputs: ['mm', 'mb'], outputs: ['y'] }
		],
		{ x: [1, 2, 4, 4] }, ['y'],
		[
			tensor('w', [3, 2, 3, 3], seededValues(54, 1, -1, 1)),
			tensor('g', [3], [1.5, 0.5, -2]), tensor('b', [3], [0.1, -0.2, 0.3]),
			tensor('m', [3], [0.2, 0.1, -0.3]), tensor('v', [3], [2, 0.5, 1]),
			tensor('k', [1, 3, 1, 1], [0.5, -0.5, 1]),
			{ name: 's1', dtype: 'int64', dims: [2], data: new Uint8Array(new BigInt64Array([3n, 16n]).buffer), origin: 'initializer' },
			{ name: 's2', dtype: 'int64', dims: [2], data: new Uint8Array(new BigInt64Array([1n, 48n]).buffer), origin: 'initializer' },
			tensor('mw', [48, 5], seededValues(240, 2, -1, 1)), tensor('mb', [5], [1, 2, 3, 4, 5])
		]
	);

	it('folds BN, bias Add, Identity, the Reshape chain and MatMul+Add, keeping outputs', async () => {
		const before = fingerprint(model);
		const { model: fused, report } = fuse(model);
		expect(fingerprint(model)).toBe(before);
		expect(fused.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'Reshape', 'Gemm']);
		expect(report.batchNormBefore).toBe(1);
		expect(report.batchNormAfter).toBe(0);
		expect(report.activationPairs).toEqual([{ node: 'Conv_0', opType: 'Conv', activation: 'Relu_3', activationOpType: 'Relu' }]);
		expect(report.inPlace.map((c) => c.opType)).toContain('Relu');
		const feeds = { x: feed([1, 2, 4, 4]) };
		const [a, b] = [await runModel(model, feeds), await runModel(fused, feeds)];
		expect(relativeError(a.y.data, b.y.data)).toBeLessThan(1e-5);
	});

	it('leaves a BN whose Conv output has another reader', () => {
		const shared = { ...model, graph: { ...model.graph, outputs: [...model.graph.outputs, { name: 'c', dtype: 'float32' as const, shape: null }] } };
		const { report } = fuse(shared);
		expect(report.batchNormAfter).toBe(1);
		expect(report.skipped[0].reason).toMatch(/other readers/);
	});
});

describe('fuse on the zoo', () => {
	const names: ZooName[] = ['cls', 'det', 'rec', 'mel', 'embedding', 'jarvis', 'vad'];
	for (const name of names) {
		it(`${name}: fused outputs equal the original's (1e-4 relative)`, async () => {
			const model = loadZoo(name);
			const before = fingerprint(model);
			const { model: fused, report } = fuse(model, { dims: {} });
			expect(fingerprint(model)).toBe(before);
			const feeds = zooFeeds(name);
			const [a, b] = [await runModel(model, feeds), await runModel(fused, feeds)];
			for (const k of Object.keys(a)) expect(relativeError(a[k].data, b[k].data), k).toBeLessThan(1e-4);
			if (name === 'cls') {
				expect(report.batchNormBefore).toBe(35);
				expect(report.batchNormAfter).toBe(0);
				expect(fused.graph.nodes.length).toBeLessThanOrEqual(model.graph.nodes.length - 35);
			}
			if (name === 'rec') expect(report.batchNormAfter).toBe(0);
		});
	}
});
