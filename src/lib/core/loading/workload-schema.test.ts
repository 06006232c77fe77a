import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateWorkload } from './workload-schema';
import { expandWorkload } from './workload';

const root = new URL('../../../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('models/manifest.json', root), 'utf8')) as { models: { id: string }[] };

describe('workload files', () => {
	it.each(['ocr-pipeline', 'wakeword'])('models/workloads/%s.json is valid and names zoo models', (name) => {
		const result = validateWorkload(JSON.parse(readFileSync(new URL(`models/workloads/${name}.json`, root), 'utf8')));
		if (!result.ok) throw new Error(result.issues.join('\n'));
		for (const m of result.workload.models) if (m.zoo) expect(manifest.models.map((e) => e.id)).toContain(m.zoo);
		expect(expandWorkload(result.workload.streams, result.workload.seed).length).toBeGreaterThan(0);
	});

	it('reports each problem with its path', () => {
		const result = validateWorkload({
			name: 'bad',
			models: [{ id: 'a', zoo: 'x', file: 'y.onnx' }, { id: 'b', layers: [{ name: 'l', weightBytes: -1, outputBytes: 0 }] }],
			streams: [{ kind: 'pipeline', stages: ['a'], count: 0 }, { kind: 'poisson', ratePerSecond: 1, count: 1 }, { kind: 'burst' }]
		});
		expect(result.ok).toBe(false);
		const issues = result.ok ? [] : result.issues.join('\n');
		expect(issues).toMatch(/models\.0: give exactly one of "zoo", "file" or "layers"/);
		expect(issues).toMatch(/models\.1\.layers\.0\.weightBytes/);
		expect(issues).toMatch(/streams\.0\.count/);
		expect(issues).toMatch(/streams\.1: a Poisson stream needs either "stages" or "models"/);
		expect(issues).toMatch(/streams\.2\.kind: "kind" must be "pipeline", "batch" or "poisson"/);
	});

	it('rejects stages naming undeclared models', () => {
		const result = validateWorkload({ name: 'w', models: [{ id: 'a', zoo: 'z' }], streams: [{ kind: 'batch', models: ['a', 'b'], count: 2 }] });
		expect(result).toEqual({ ok: false, issues: ['streams.0.models.1: unknown model "b" (declared: a)'] });
	});

	it('expands a Poisson stream the same way for a seed, differently for another', () => {
		const streams = [{ kind: 'poisson' as const, ratePerSecond: 10, count: 20, models: ['a', 'b'] }];
		expect(expandWorkload(streams, 3)).toEqual(expandWorkload(streams, 3));
		expect(expandWorkload(streams, 3)).not.toEqual(expandWorkload(streams, 4));
		const gaps = expandWorkload([{ ...streams[0], count: 2000 }], 5).map((t, i, a) => t.arrivalMs - (i ? a[i - 1].arrivalMs : 0));
		expect(gaps.reduce((s, g) => s + g, 0) / gaps.length).toBeCloseTo(100, -1);
	});
});
