/**
 * Golden links: every `tests/unit/golden-urls/v<N>.json` holds links issued by format version N and the
 * scenario each must open as, today and forever. Never regenerate an existing file; when the format
 * changes, add a new file for the new version and keep the old ones (the migration chain must keep them
 * decoding to the same scenario, upgraded).
 *
 * "Upgraded" means: the version number becomes the current one, and fields a later version added (absent
 * from the old file's scenario) take their defaults. Nothing the old link said may change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeScenario, decodeScenarioSync, encodeScenario } from './codec.ts';
import { defaultBody } from './defaults.ts';
import { isScenario, SCENARIO_VERSION } from './schema.ts';

interface GoldenCase {
	name: string;
	hash: string;
	scenario: unknown;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

/** Object-valued fields that are values in their own right (a variant, records), not groups of fields. */
const VALUE_FIELDS = new Set(['model', 'dims', 'edits']);

/** `old` with every field it lacks (at any depth) taken from `defaults`; fields it has are kept as they are. */
function withLaterFields(old: unknown, defaults: unknown): unknown {
	if (!isPlainObject(old) || !isPlainObject(defaults)) return old;
	const out: Record<string, unknown> = { ...old };
	for (const [key, value] of Object.entries(defaults)) {
		if (!(key in old)) out[key] = value;
		else if (!VALUE_FIELDS.has(key)) out[key] = withLaterFields(old[key], value);
	}
	return out;
}

/** The scenario an old golden link must open as today. */
function upgraded(old: unknown): unknown {
	const body = defaultBody();
	const top = withLaterFields(old, body) as Record<string, unknown>;
	if (isPlainObject(top.baseline)) top.baseline = withLaterFields(top.baseline, body);
	return { ...top, v: SCENARIO_VERSION };
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
					const expected = upgraded(c.scenario);
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
		const expected = upgraded(stored!.scenario);
		expect(decodeScenarioSync(stored!.hash)).toEqual({ scenario: expected, notices: [] });
	});
});
