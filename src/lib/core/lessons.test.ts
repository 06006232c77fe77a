import { describe, expect, it } from 'vitest';
import { CONTROL_IDS, LESSONS, lessonHash, lessonsMarkdown } from './lessons.ts';
import { decodeScenario } from './scenario/codec.ts';
import { isScenario, SCENARIO_VERSION } from './scenario/schema.ts';

describe('lessons', () => {
	it('are valid scenarios whose links decode back to them without notices', async () => {
		expect(LESSONS.length).toBeGreaterThanOrEqual(4);
		for (const lesson of LESSONS) {
			expect(isScenario(lesson.scenario), lesson.id).toBe(true);
			const { scenario, notices } = await decodeScenario(await lessonHash(lesson));
			expect(notices).toEqual([]);
			expect(scenario).toEqual(lesson.scenario);
		}
	});

	it('hide only known controls, and each focuses by hiding something', () => {
		const known = new Set<string>(Object.values(CONTROL_IDS));
		for (const lesson of LESSONS) {
			expect(lesson.scenario.hide.length, lesson.id).toBeGreaterThan(0);
			for (const id of lesson.scenario.hide) expect(known.has(id), `${lesson.id}: ${id}`).toBe(true);
		}
	});

	it('ids are unique and the markdown lists every lesson with its link', async () => {
		expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
		const md = await lessonsMarkdown('https://example.org/');
		for (const lesson of LESSONS) expect(md).toContain(`[${lesson.title}](https://example.org/#s=${SCENARIO_VERSION}.`);
	});
});
