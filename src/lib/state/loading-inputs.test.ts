import { describe, expect, it } from 'vitest';
import { ramBytes } from '../core/devices/profiles';
import { expandWorkload } from '../core/loading/workload';
import { defaultScenario } from '../core/scenario/defaults';
import type { Scenario } from '../core/scenario/schema';
import { comparedPolicies, simulationInputs, workloadOf, WORKLOAD_PRESETS } from './loading-inputs';

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
});
