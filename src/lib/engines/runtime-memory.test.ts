/** The runtime-memory fold: which figure the overhead comes from, and what dispose released. */
import { describe, expect, it } from 'vitest';
import { MemoryRecorder, type MemoryPhase, type MemoryProbe } from './runtime-memory';

const phases: MemoryPhase[] = ['worker start', 'runtime ready', 'after load', 'after run', 'after dispose'];

function record(heaps: (number | null)[], tensorBytes: number[]) {
	let k = 0;
	const probe: MemoryProbe = {
		wasmHeap: () => ({ bytes: heaps[k], basis: heaps[k] === null ? 'none' : 'test heap' }),
		tensors: () => ({ bytes: tensorBytes[k], count: tensorBytes[k] / 4, gpuBytes: null })
	};
	const r = new MemoryRecorder(probe);
	return (async () => {
		for (; k < phases.length; k++) await r.take(phases[k]);
		return r;
	})();
}

describe('MemoryRecorder', () => {
	it('a WASM heap: overhead is the heap after a run minus the weights; a heap never shrinks', async () => {
		const r = await record([null, 16 << 20, 17 << 20, 18 << 20, 18 << 20], [0, 0, 4000, 4000, 0]);
		const m = r.result(4000, false);
		expect(m.overheadBytes).toBe((18 << 20) - 4000);
		expect(m.overheadBasis).toMatch(/WASM heap after a run \(test heap\)/);
		expect(m.released).toEqual({ tensorBytes: 4000, tensors: 1000, wasmHeapBytes: 0 });
	});

	it('no WASM heap: the JS heap growth since worker start (Node exposes one), weights subtracted when they live there', async () => {
		const r = await record([null, null, null, null, null], [0, 0, 400, 400, 0]);
		const m = r.result(400, true);
		expect(m.overheadBasis).toMatch(/growth of the JS heap .* minus the weights/);
		expect(m.overheadBytes).not.toBeNull();
	});
});
