import { describe, expect, it } from 'vitest';
import { ramBytes } from '../core/devices/profiles';
import { expandWorkload } from '../core/loading/workload';
import { defaultScenario } from '../core/scenario/defaults';
import type { Scenario } from '../core/scenario/schema';
import { comparedPolicies, simulationInputs, workloadOf, WORKLOAD_PRESETS } from './loading-inputs';
import { resolveUploads, uploadWorkloadId } from './loading-uploads';

const scenario = (patch: (s: Scenario) => void = () => {}): Scenario => {
	const s = defaultScenario();
	patch(s);
	return s;
};

describe('loading inputs from the scenario', () => {
	it('defaults: one pass of the model cell\'s model, the device RAM as ceiling, bulk highlighted', () => {
		const s = scenario();
		const i = simulationInputs(s);
		expect(i.workload.models).toEqual(['ppocr-mobile-v2-cls']);
		expect(expandWorkload(i.workload.streams, 1)).toHaveLength(1);
		expect(i.ceilingBytes).toBe(ramBytes(i.profile));
		expect(i.policies.map((p) => p.kind)).toEqual(['bulk', 'linear', 'interleaved', 'partial']);
		expect(i.detailIndex).toBe(0);
	});

	it('every policy kind highlights its own row; lookahead 0 still prefetches one layer', () => {
		for (const [k, kind] of (['bulk', 'linear', 'interleaved', 'partial'] as const).entries()) {
			expect(simulationInputs(scenario((s) => void (s.policy.kind = kind))).detailIndex).toBe(k);
		}
		const p = comparedPolicies(scenario((s) => void (s.policy.lookahead = 0)), 1e6);
		expect(p[2]).toEqual({ kind: 'interleaved', lookahead: 1 });
		expect(p[3]).toMatchObject({ budgetBytes: 5e5 });
	});

	it('pipeline / batch / poisson expand to the requested number of tasks over the OCR models by default', () => {
		for (const kind of ['pipeline', 'batch', 'poisson'] as const) {
			const w = workloadOf(scenario((s) => Object.assign(s.workload, { kind, requests: 12, ratePerSecond: 4 })));
			expect(w.models).toEqual([...WORKLOAD_PRESETS[0].models]);
			const tasks = expandWorkload(w.streams, 3);
			expect(tasks).toHaveLength(12);
			if (kind !== 'batch') expect(tasks.every((t) => t.deadlineMs !== undefined && Math.abs(t.deadlineMs - t.arrivalMs - 750) < 1e-6)).toBe(true);
		}
	});

	it('the size-aware cache is named as the simulator names it', () => {
		expect(simulationInputs(scenario((s) => void (s.workload.cache = 'size'))).cache).toBe('size-aware');
	});

	it('the workload devices come from the scenario', () => {
		expect(simulationInputs(scenario()).devices).toBe(1);
		expect(simulationInputs(scenario((s) => void (s.workload.devices = 3))).devices).toBe(3);
	});

	it('an uploaded model joins a pipeline by its id; one this browser lacks is left out and the rest still run', () => {
		const have = uploadWorkloadId('ab'.repeat(32));
		const lack = uploadWorkloadId('cd'.repeat(32));
		const s = scenario((x) => Object.assign(x.workload, { kind: 'pipeline', requests: 3, models: ['ppocr-v4-det', have, lack] }));
		const { missing } = resolveUploads(workloadOf(s).models, [{ sha256: 'ab'.repeat(32), name: 'mine.onnx' }]);
		expect(missing).toEqual([lack]);
		const w = simulationInputs(s, new Set(missing)).workload;
		expect(w.models).toEqual(['ppocr-v4-det', have]);
		expect(expandWorkload(w.streams, 1).map((t) => t.stages)).toEqual(Array(3).fill(['ppocr-v4-det', have]));
		// Nothing left: no streams (the page shows the notice alone).
		const only = scenario((x) => Object.assign(x.workload, { kind: 'batch', models: [lack] }));
		expect(workloadOf(only, new Set([lack])).streams).toEqual([]);
	});

	it('one pass of an uploaded model in the model cell runs that upload', () => {
		const s = scenario((x) => void (x.model = { kind: 'upload', name: 'mine.onnx', sha256: 'ab'.repeat(32) }));
		expect(workloadOf(s).models).toEqual([uploadWorkloadId('ab'.repeat(32))]);
	});
});
