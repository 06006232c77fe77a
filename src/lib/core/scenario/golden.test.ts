/**
 * Golden links: every `tests/unit/golden-urls/v<N>.json` holds links issued by format version N and the
 * scenario each must open as, today and forever. Never regenerate an existing file; when the format
 * changes, add a new file for the new version and keep the old ones (the migration chain must keep them
 * decoding to the same scenario, upgraded).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeScenario, decodeScenarioSync, encodeScenario } from './codec.ts';
import { isScenario, SCENARIO_VERSION } from './schema.ts';

interface GoldenCase {
	name: string;
	hash: string;
	scenario: unknown;
}

const dir = new URL('../../../../tests/unit/golden-urls/', import.meta.url);
const files = readdirSync(dir).filter((f) => /^v\d+\.json$/.test(f));

describe('golden scenario links', () => {
	it('has golden files, including the first released version', () => {
		expect(files).toContain('v1.json');
	});

	for (const file of files) {
		const cases = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as GoldenCase[];
		describe(file, () => {
			for (const c of cases) {
				it(`decodes exactly: ${c.name}`, async () => {
					// An older link opens as the same scenario, upgraded: only its version number changes.
					const expected = { ...(c.scenario as object), v: SCENARIO_VERSION };
					const { scenario, notices } = await decodeScenario(c.hash);
					expect(notices).toEqual([]);
					expect(scenario).toEqual(expected);
					expect(isScenario(scenario)).toBe(true);
					// Re-encoding may compress differently across platforms, but must open the same.
					expect((await decodeScenario(await encodeScenario(scenario))).scenario).toEqual(expected);
				});
			}
		});
	}

	it('the stored-block golden link also opens with the synchronous decoder', () => {
		const cases = JSON.parse(readFileSync(new URL('v1.json', dir), 'utf8')) as GoldenCase[];
		const stored = cases.find((c) => c.name.includes('encodeScenarioSync'));
		expect(stored).toBeDefined();
		const expected = { ...(stored!.scenario as object), v: SCENARIO_VERSION };
		expect(decodeScenarioSync(stored!.hash)).toEqual({ scenario: expected, notices: [] });
	});
});
