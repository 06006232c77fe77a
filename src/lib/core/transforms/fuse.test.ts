import { describe, expect, it } from 'vitest';
import { inferShapes } from '../shapes/infer';
import { fuse } from './fuse';
import { buildModel, feed, fingerprint, loadZoo, relativeError, runModel, seededValues, tensor, TEST_DIMS, zooFeeds, type ZooName } from './test-support';

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

describe('Conv + activation → com.microsoft FusedConv', () => {
	const conv = (act: string, actInputs: string[] = [], attrs = {}) => buildModel(
		[
			{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { pads: { type: 'ints', value: [1, 1, 1, 1] } } },
			{ op: act, inputs: ['c', ...actInputs], outputs: ['y'], attrs }
		],
		{ x: [1, 3, 8, 8] }, ['y'],
		[tensor('w', [4, 3, 3, 3], seededValues(108, 1, -1, 1)), tensor('b', [4], [0.5, -0.5, 1, -1]), tensor('lo', [], [-0.25]), tensor('hi', [], [0.75])]
	);
	const cases: [string, ReturnType<typeof conv>][] = [
		['Relu', conv('Relu')], ['Sigmoid', conv('Sigmoid')], ['Tanh', conv('Tanh')], ['HardSwish', { ...conv('HardSwish'), opsetImports: [{ domain: '', version: 14 }] }],
		['LeakyRelu', conv('LeakyRelu', [], { alpha: { type: 'float', value: 0.3 } })],
		['HardSigmoid', conv('HardSigmoid', [], { alpha: { type: 'float', value: 0.25 }, beta: { type: 'float', value: 0.4 } })],
		['Clip with both bounds', conv('Clip', ['lo', 'hi'])], ['Clip with a max only', conv('Clip', ['', 'hi'])],
		['Clip of opset 6', { ...conv('Clip', [], { min: { type: 'float', value: -0.1 }, max: { type: 'float', value: 0.2 } }), opsetImports: [{ domain: '', version: 6 }] }]
	];
	it.each(cases)('%s: one FusedConv node, same outputs (1e-5), shapes inferred', async (_, model) => {
		const { model: fused, report } = fuse(model, { fusedConv: true });
		expect(fused.graph.nodes.map((n) => `${n.domain}:${n.opType}`)).toEqual(['com.microsoft:FusedConv']);
		expect(fused.opsetImports).toContainEqual({ domain: 'com.microsoft', version: 1 });
		expect(report.activationPairs).toEqual([]);
		const feeds = { x: feed([1, 3, 8, 8], 3, -3, 3) };
		const [a, b] = [await runModel(model, feeds), await runModel(fused, feeds)];
		expect(relativeError(a.y.data, b.y.data)).toBeLessThan(1e-5);
		expect(inferShapes(fused).values.y.shape).toEqual([1, 4, 8, 8]);
	});
	it('leaves a Conv alone when the activation is not one FusedConv takes, or is off by default', () => {
		expect(fuse(conv('Elu'), { fusedConv: true }).model.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'Elu']);
		expect(fuse(conv('Relu')).model.graph.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu']);
		expect(fuse(conv('Relu')).model.opsetImports.some((o) => o.domain === 'com.microsoft')).toBe(false);
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
			// With FusedConv: every Conv + activation pair becomes one node; outputs and inferred shapes stay.
			const contrib = fuse(model, { dims: {}, fusedConv: true });
			const fusedConvs = contrib.model.graph.nodes.filter((n) => n.opType === 'FusedConv').length;
			expect(fusedConvs).toBe(report.activationPairs.filter((p) => p.opType === 'Conv').length);
			const c = await runModel(contrib.model, feeds);
			for (const k of Object.keys(a)) expect(relativeError(a[k].data, c[k].data), k).toBeLessThan(1e-4);
			const dims = TEST_DIMS[name] ?? {};
			if (name !== 'vad') {
				const [sa, sc] = [inferShapes(fused, dims), inferShapes(contrib.model, dims)];
				expect(sc.unsupported).toEqual([]);
				for (const o of fused.graph.outputs) expect(sc.values[o.name].shape).toEqual(sa.values[o.name].shape);
			}
		});
	}
});
