import { describe, expect, it } from 'vitest';
import { readFloat32 } from '../ir/graph';
import type { Model } from '../ir/types';
import { inferShapes } from '../shapes/infer';
import { applyTransforms } from './pipeline';
import { pruneChannels } from './prune-channels';
import { buildModel, feed, fingerprint, loadZoo, relativeError, runModel, seededValues, tensor, zooFeeds, type Feed, type ZooName } from './test-support';

/** Output shapes by shape inference at the feeds' dims; throws if any node was not understood. */
function inferredOutputs(model: Model, feeds: Record<string, Feed>): string[] {
	const shapes = inferShapes(model, {}, { inputShapes: Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, v.dims])) });
	expect(shapes.unsupported).toEqual([]);
	return model.graph.outputs.map((o) => JSON.stringify(shapes.values[o.name]?.shape));
}

async function expectSmallerAndRunning(model: Model, pruned: Model, feeds: Record<string, Feed>): Promise<void> {
	expect(inferredOutputs(pruned, feeds)).toEqual(inferredOutputs(model, feeds));
	const [ref, got] = [await runModel(model, feeds), await runModel(pruned, feeds)];
	for (const [name, r] of Object.entries(ref)) expect(got[name].dims).toEqual(r.dims);
}

describe('channel pruning on a hand-built graph', () => {
	// Conv → BN → Relu → depthwise → Mul [8,1,1] → Add scalar → Conv; a residual Add of two Convs
	// (one group, pruned together); a Conv feeding Flatten (skipped with a reason).
	const model = buildModel(
		[
			{ op: 'Conv', name: 'A', inputs: ['x', 'wa', 'ba'], outputs: ['a'], attrs: { pads: { type: 'ints', value: [1, 1, 1, 1] } } },
			{ op: 'BatchNormalization', inputs: ['a', 'g', 'b', 'm', 'v'], outputs: ['bn'] },
			{ op: 'Relu', inputs: ['bn'], outputs: ['r'] },
			{ op: 'Conv', name: 'D', inputs: ['r', 'wd'], outputs: ['d'], attrs: { group: { type: 'int', value: 8 }, pads: { type: 'ints', value: [1, 1, 1, 1] } } },
			{ op: 'Mul', inputs: ['d', 'k'], outputs: ['mk'] },
			{ op: 'Add', inputs: ['mk', 'one'], outputs: ['ad'] },
			{ op: 'Conv', name: 'B', inputs: ['ad', 'wb'], outputs: ['bc'] },
			{ op: 'Conv', name: 'C', inputs: ['x', 'wc', 'bcb'], outputs: ['cc'] },
			{ op: 'Add', inputs: ['bc', 'cc'], outputs: ['sum'] },
			{ op: 'HardSigmoid', inputs: ['sum'], outputs: ['hs'] },
			{ op: 'Conv', name: 'E', inputs: ['hs', 'we'], outputs: ['e'] },
			{ op: 'Flatten', inputs: ['e'], outputs: ['y'] }
		],
		{ x: [1, 3, 8, 8] }, ['y'],
		[
			tensor('wa', [8, 3, 3, 3], seededValues(216, 1, -1, 1)), tensor('ba', [8], seededValues(8, 2, -1, 1)),
			tensor('g', [8], seededValues(8, 3, 0.5, 1.5)), tensor('b', [8], seededValues(8, 4, -1, 1)),
			tensor('m', [8], seededValues(8, 5, -1, 1)), tensor('v', [8], seededValues(8, 6, 0.5, 2)),
			tensor('wd', [8, 1, 3, 3], seededValues(72, 7, -1, 1)), tensor('k', [8, 1, 1], seededValues(8, 8, -2, 2)),
			tensor('one', [1], [1]), tensor('wb', [6, 8, 1, 1], seededValues(48, 9, -1, 1)),
			tensor('wc', [6, 3, 1, 1], seededValues(18, 10, -1, 1)), tensor('bcb', [6], seededValues(6, 11, -1, 1)),
			tensor('we', [4, 6, 1, 1], seededValues(24, 12, -1, 1))
		]
	);
	const feeds = { x: feed([1, 3, 8, 8]) };

	it('removes channels through BN, depthwise, per-channel Mul and a residual Add; the result runs', async () => {
		const before = fingerprint(model);
		const { model: pruned, report } = pruneChannels(model, { sparsity: 0.25, minChannels: 2 });
		expect(fingerprint(model)).toBe(before);
		expect(report.rows.map((r) => [r.node, r.note?.split(';')[0]])).toEqual([['A', 'kept 6/8 channels'], ['B', 'kept 4/6 channels'], ['C', 'kept 4/6 channels']]);
		expect(report.skipped).toEqual([{ node: 'E', reason: expect.stringContaining('Flatten') }]);
		const depthwise = pruned.graph.nodes.find((n) => n.name === 'D')!;
		expect(depthwise.attrs.group).toEqual({ type: 'int', value: 6 });
		expect(pruned.graph.initializers[pruned.graph.nodes.find((n) => n.name === 'E')!.inputs[1]].dims).toEqual([4, 4, 1, 1]);
		expect(report.paramsAfter).toBeLessThan(report.paramsBefore);
		await expectSmallerAndRunning(model, pruned, feeds);
	});

	it('equals the original with the removed channels zeroed where the consumers read them', async () => {
		const { model: pruned } = pruneChannels(model, { sparsity: 0.25, minChannels: 2 });
		const weight = (m: Model, node: string) => readFloat32(m.graph.initializers[m.graph.nodes.find((n) => n.name === node)!.inputs[1]]);
		/** Indices of the original filters (rows of `per` values) that survive in the pruned producer. */
		const kept = (node: string, per: number) => {
			const [orig, now] = [weight(model, node), weight(pruned, node)];
			return new Set(Array.from({ length: now.length / per }, (_, r) => Array.from({ length: orig.length / per }, (_, c) => c)
				.find((c) => orig.subarray(c * per, c * per + per).every((v, j) => v === now[r * per + j]))!));
		};
		const [keepA, keepB] = [kept('A', 27), kept('C', 3)];
		// 1×1 consumers: input channel i of row o is element o·I + i.
		const zeroed = (name: string, inputs: number, keep: Set<number>) => tensor(name, model.graph.initializers[name].dims,
			readFloat32(model.graph.initializers[name]).map((v, i) => (keep.has(i % inputs) ? v : 0)));
		const masked = { ...model, graph: { ...model.graph, initializers: { ...model.graph.initializers, wb: zeroed('wb', 8, keepA), we: zeroed('we', 6, keepB) } } };
		const [want, got] = [await runModel(masked, feeds), await runModel(pruned, feeds)];
		expect(relativeError(want.y.data, got.y.data)).toBeLessThan(1e-5);
	});

	it('at sparsity 0 gives exactly the original outputs', async () => {
		const { model: same, report } = pruneChannels(model, { sparsity: 0, minChannels: 2 });
		expect(report.paramsAfter).toBe(report.paramsBefore);
		expect((await runModel(same, feeds)).y.data).toEqual((await runModel(model, feeds)).y.data);
	});

	it('skips a Conv whose output is a graph output or feeds a Concat', () => {
		const m = buildModel(
			[
				{ op: 'Conv', name: 'P', inputs: ['x', 'w1'], outputs: ['p'] },
				{ op: 'Conv', name: 'Q', inputs: ['x', 'w2'], outputs: ['q'] },
				{ op: 'Concat', inputs: ['p', 'q'], outputs: ['y'], attrs: { axis: { type: 'int', value: 1 } } },
				{ op: 'Conv', name: 'R', inputs: ['y', 'w3'], outputs: ['z'] }
			],
			{ x: [1, 2, 4, 4] }, ['z'],
			[tensor('w1', [8, 2, 1, 1], seededValues(16, 1)), tensor('w2', [8, 2, 1, 1], seededValues(16, 2)), tensor('w3', [8, 16, 1, 1], seededValues(128, 3))]
		);
		const { report } = pruneChannels(m, { sparsity: 0.5 });
		expect(report.rows).toEqual([]);
		expect(report.skipped.map((s) => s.node)).toEqual(['P', 'Q', 'R']);
		expect(report.skipped[0].reason).toContain('Concat');
		expect(report.skipped[2].reason).toContain('graph output');
	});
});

describe.each(['cls', 'embedding'] as ZooName[])('channel pruning on %s', (name) => {
	it('the pruned model runs with fewer parameters and the same output shapes; 0% equals the original', async () => {
		const model = loadZoo(name);
		const feeds = zooFeeds(name);
		const { model: pruned, report } = await applyTransforms(model, { prune: 0.25, pruneMode: 'channels' }).then((r) => ({ model: r.model, report: r.reports[0] }));
		expect(report.rows.length).toBeGreaterThan(3);
		expect(report.paramsAfter).toBeLessThan(report.paramsBefore * 0.95);
		await expectSmallerAndRunning(model, pruned, feeds);
		const same = pruneChannels(model, { sparsity: 0 }).model;
		const [ref, got] = [await runModel(model, feeds), await runModel(same, feeds)];
		for (const [k, r] of Object.entries(ref)) expect(got[k].data).toEqual(r.data);
	});
});
