import { describe, expect, it } from 'vitest';
import { createMemoryStores, sha256Hex } from './persistence.ts';
import { defaultScenario } from '../core/scenario/defaults.ts';

describe('persistence (memory stores)', () => {
	it('hashes with SHA-256 like the rest of the world', async () => {
		expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
	});

	it('stores model bytes by sha256, lists without bytes, most recent first', async () => {
		let clock = 1000;
		const { models } = createMemoryStores(() => clock++);
		const a = new Uint8Array([1, 2, 3]);
		const shaA = await models.put(a, 'a.onnx');
		const shaB = await models.put(new Uint8Array([4, 5]).buffer, 'b.onnx');
		expect(shaA).toBe(await sha256Hex(a));
		a[0] = 99; // the store keeps its own copy
		expect((await models.get(shaA))?.bytes).toEqual(new Uint8Array([1, 2, 3]));
		expect(await models.list()).toEqual([
			{ sha256: shaB, name: 'b.onnx', sizeBytes: 2, storedAtMs: 1001 },
			{ sha256: shaA, name: 'a.onnx', sizeBytes: 3, storedAtMs: 1000 }
		]);
		expect(await models.put(new Uint8Array([1, 2, 3]), 'renamed.onnx')).toBe(shaA);
		expect((await models.list()).map((m) => m.name)).toEqual(['renamed.onnx', 'b.onnx']);
		await models.delete(shaB);
		expect(await models.get(shaB)).toBeUndefined();
		expect(await models.list()).toHaveLength(1);
	});

	it('saves and loads the last scenario through the URL codec', async () => {
		const { scenario: store } = createMemoryStores();
		expect(await store.load()).toBeUndefined();
		const s = defaultScenario();
		s.transforms.quantize = 'fp16';
		s.model = { kind: 'upload', name: 'm.onnx', sha256: 'c'.repeat(64) };
		await store.save(s);
		expect(await store.load()).toEqual({ scenario: s, notices: [] });
		await store.clear();
		expect(await store.load()).toBeUndefined();
	});
});
