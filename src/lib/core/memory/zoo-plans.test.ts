import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openModel } from '../formats/registry';
import { checkPlan } from './check-plan';
import { modelMemory } from './from-model';
import { lowerBound, planners } from './planners/index';

const manifest = JSON.parse(readFileSync('models/manifest.json', 'utf8')) as {
	models: { id: string; defaultDims: Record<string, number>; source: { package: string; path: string } }[];
};

describe('every zoo model plans validly with every planner', () => {
	for (const entry of manifest.models) {
		it(entry.id, () => {
			const path = `node_modules/${entry.source.package}/${entry.source.path}`;
			const memory = modelMemory(openModel(new Uint8Array(readFileSync(path)), path), { dims: entry.defaultDims });
			expect(memory.buffers.some((b) => b.sizeBytes > 0)).toBe(true);
			const bound = lowerBound(memory.buffers).arenaBytes;
			for (const p of planners.filter((x) => x.kind === 'planner')) {
				const plan = p.plan(memory.buffers, { alignmentBytes: 16 });
				expect(checkPlan(memory.buffers, plan), `${entry.id} ${p.id}`).toEqual([]);
				expect(plan.arenaBytes).toBeGreaterThanOrEqual(bound);
			}
		});
	}
});
