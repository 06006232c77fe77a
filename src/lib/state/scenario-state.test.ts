import { describe, expect, it } from 'vitest';
import { defaultScenario } from '../core/scenario/defaults.ts';
import { createMemoryStores, type Stores } from './persistence.ts';
import { RestoreState, STORAGE_NOTICE } from './restore.svelte.ts';
import { CONTROL_IDS, ScenarioState } from './scenario.svelte.ts';

describe('ScenarioState', () => {
	it('marks each change with its kind and origin; equal or invalid values change nothing', () => {
		const s = new ScenarioState();
		s.setQuantize('int8-weight');
		expect(s.current.transforms.quantize).toBe('int8-weight');
		expect(s.lastChange).toEqual({ seq: 1, kind: 'discrete', origin: 'user' });
		s.setSparsity(0.3);
		expect(s.lastChange).toEqual({ seq: 2, kind: 'continuous', origin: 'user' });
		s.setQuantize('int8-weight');
		s.setDim('bad name!', 3);
		s.setDim('batch', 0);
		s.setPlanner('<img src=x>');
		expect(s.lastChange.seq).toBe(2);
		s.setDim('batch', 4);
		expect(s.current.dims).toEqual({ batch: 4 });
		const linked = defaultScenario();
		linked.seed = 9;
		s.apply(linked);
		expect(s.current).toEqual(linked);
		expect(s.lastChange.origin).toBe('external');
	});

	it('changes only the leaves that differ, so what reads other fields is not re-run', () => {
		const s = new ScenarioState();
		const tiling = s.current.tiling;
		const transforms = s.current.transforms;
		s.setCeiling(300_000);
		expect(s.current.ceilingBytes).toBe(300_000);
		// Same objects: nothing that reads only tiling or transforms saw a change.
		expect(s.current.tiling).toBe(tiling);
		expect(s.current.transforms).toBe(transforms);
		s.setDim('batch', 4);
		s.setDim('seq', 8);
		s.setDims({ seq: 8 });
		expect(s.current.dims).toEqual({ seq: 8 });
		s.setModel({ kind: 'upload', name: 'm.onnx', sha256: 'a'.repeat(64) });
		expect(s.current.model).toEqual({ kind: 'upload', name: 'm.onnx', sha256: 'a'.repeat(64) });
		s.setModel({ kind: 'zoo', id: 'ppocr-v4-rec' });
		expect(s.current.model).toEqual({ kind: 'zoo', id: 'ppocr-v4-rec' });
		s.pinBaseline();
		expect(s.current.baseline?.model).toEqual({ kind: 'zoo', id: 'ppocr-v4-rec' });
		const other = defaultScenario();
		s.apply(other);
		expect(s.current).toEqual(other);
	});

	it('the teaching flag hides the controls a scenario names', () => {
		const s = new ScenarioState();
		expect(s.isHidden(CONTROL_IDS.modelPicker)).toBe(false);
		s.setHide([CONTROL_IDS.modelPicker, CONTROL_IDS.run, CONTROL_IDS.run]);
		expect(s.current.hide).toEqual(['model-picker', 'run']);
		expect(s.isHidden(CONTROL_IDS.modelPicker)).toBe(true);
		expect(s.isHidden(CONTROL_IDS.dims)).toBe(false);
	});

	it('keeps notices as a list of distinct texts', () => {
		const s = new ScenarioState();
		s.addNotices('a', 'b', 'a');
		expect(s.notices).toEqual(['a', 'b']);
		s.dismissNotice(0);
		expect(s.notices).toEqual(['b']);
	});
});

/** Stores whose every call fails, as IndexedDB does in some private modes. */
function failingStores(): Stores {
	const fail = () => Promise.reject(new Error('refused'));
	return {
		models: { put: fail, get: fail, list: fail, delete: fail },
		scenario: { save: fail, load: fail, clear: fail }
	};
}

describe('RestoreState', () => {
	it('saves and restores the last scenario', async () => {
		const stores = createMemoryStores();
		const first = new ScenarioState();
		first.setOrder('optimized');
		await new RestoreState(first, stores).saveNow();

		const second = new ScenarioState();
		expect(await new RestoreState(second, stores).restoreLast()).toBe(true);
		expect(second.current.order).toBe('optimized');
		expect(second.lastChange.origin).toBe('external');
		expect(await new RestoreState(new ScenarioState(), createMemoryStores()).restoreLast()).toBe(false);
	});

	it('falls back to memory with one notice when storage refuses', async () => {
		const s = new ScenarioState();
		const restore = new RestoreState(s, failingStores());
		const sha = await restore.models.put(new Uint8Array([1, 2, 3]), 'm.onnx');
		expect((await restore.models.get(sha))?.name).toBe('m.onnx');
		await restore.saveNow();
		expect(await restore.restoreLast()).toBe(true);
		expect(restore.fellBack).toBe(true);
		expect(s.notices).toEqual([STORAGE_NOTICE]);
	});
});
