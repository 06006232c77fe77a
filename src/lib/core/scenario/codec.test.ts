import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashOfJson, scenarioArb } from './arbitraries.ts';
import { toBase64Url } from './base64url.ts';
import {
	decodeScenario,
	decodeScenarioSync,
	encodeScenario,
	encodeScenarioSync,
	MAX_HASH_LENGTH
} from './codec.ts';
import { deflateRaw } from './deflate.ts';
import { defaultScenario } from './defaults.ts';
import { LINK_NOTICES, MAX_NOTICES } from './notices.ts';
import { isScenario, SCENARIO_VERSION } from './schema.ts';

const SEED = 0x7f1e;

describe('encode → decode', () => {
	it('is the identity for random valid scenarios, with no notices', async () => {
		await fc.assert(
			fc.asyncProperty(scenarioArb, async (s) => {
				const hash = await encodeScenario(s);
				expect(hash).toMatch(new RegExp(`^#s=${SCENARIO_VERSION}\\.[A-Za-z0-9_-]+$`));
				const { scenario, notices } = await decodeScenario(hash);
				expect(notices).toEqual([]);
				expect(scenario).toEqual(s);
				expect(isScenario(scenario)).toBe(true);
			}),
			{ seed: SEED, numRuns: 400 }
		);
	});

	it('is the identity through the synchronous stored-block codec, read by both decoders', async () => {
		await fc.assert(
			fc.asyncProperty(scenarioArb, async (s) => {
				const hash = encodeScenarioSync(s);
				expect(decodeScenarioSync(hash)).toEqual({ scenario: s, notices: [] });
				expect(await decodeScenario(hash)).toEqual({ scenario: s, notices: [] });
			}),
			{ seed: SEED + 1, numRuns: 300 }
		);
	});

	it('writes only non-default fields: the default scenario is a tiny link', async () => {
		const hash = await encodeScenario(defaultScenario());
		expect(hash.length).toBeLessThan(16);
		const changed = defaultScenario();
		changed.transforms.quantize = 'int8-static';
		expect((await encodeScenario(changed)).length).toBeLessThan(48);
	});

	it('accepts a whole URL or a hash with other parameters', async () => {
		const s = defaultScenario();
		s.seed = 7;
		const hash = await encodeScenario(s);
		expect((await decodeScenario(`https://example.org/app/?x=1${hash}&tab=2`)).scenario.seed).toBe(7);
		expect((await decodeScenario(hash.slice(1))).scenario.seed).toBe(7);
	});
});

describe('decode: whole-link problems give defaults and one notice', () => {
	const cases: Array<[string, string, string]> = [
		['no scenario parameter', '#tab=3', ''],
		['empty hash', '', ''],
		['newer version', `#s=${SCENARIO_VERSION + 1}.q64FAA`, LINK_NOTICES.newerVersion],
		['unknown older version', '#s=0.q64FAA', LINK_NOTICES.unknownVersion],
		['not a version', '#s=x.q64FAA', LINK_NOTICES.notScenario],
		['padding and bad characters', '#s=1.q64FAA==', LINK_NOTICES.notScenario],
		['impossible base64 length', '#s=1.q64FA', LINK_NOTICES.badEncoding],
		['not deflate', '#s=1.' + toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xff])), LINK_NOTICES.badEncoding],
		['too long', '#s=1.' + 'A'.repeat(MAX_HASH_LENGTH), LINK_NOTICES.tooLong]
	];
	for (const [name, hash, notice] of cases) {
		it(name, async () => {
			const got = await decodeScenario(hash);
			expect(got.scenario).toEqual(defaultScenario());
			expect(got.notices).toEqual(notice ? [notice] : []);
		});
	}

	it('not JSON, and JSON that is not an object', async () => {
		expect((await decodeScenario(await hashOfJson('{"t":'))).notices).toEqual([LINK_NOTICES.badJson]);
		const arr = await decodeScenario(await hashOfJson('[1,2]'));
		expect(arr.scenario).toEqual(defaultScenario());
		expect(arr.notices).toHaveLength(1);
	});

	it('invalid UTF-8 inside the payload', async () => {
		const hash = `#s=1.${toBase64Url(await deflateRaw(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])))}`;
		expect((await decodeScenario(hash)).notices).toEqual([LINK_NOTICES.badJson]);
	});

	it('the sync decoder says when a link needs DecompressionStream', async () => {
		const s = defaultScenario();
		s.seed = 99;
		const got = decodeScenarioSync(await encodeScenario(s));
		expect(got.scenario).toEqual(defaultScenario());
		expect(got.notices).toEqual([LINK_NOTICES.noDecompression]);
	});
});

describe('decode: per-field fallback', () => {
	it('a bad field falls back alone, naming it; the others are kept', async () => {
		const json = JSON.stringify({ t: { q: 'int9', c: true, p: { s: 0.25 } }, p: 'lazy', r: 42, o: 5 });
		const { scenario, notices } = await decodeScenario(await hashOfJson(json));
		const expected = defaultScenario();
		expected.transforms.perChannel = true;
		expected.transforms.prune.sparsity = 0.25;
		expected.planner = 'lazy';
		expected.seed = 42;
		expect(scenario).toEqual(expected);
		expect(notices).toHaveLength(2);
		expect(notices[0]).toContain('"transforms.quantize"');
		expect(notices[1]).toContain('"order"');
	});

	it('numbers out of range are clamped (and integers rounded) with a notice', async () => {
		const json = JSON.stringify({ t: { p: { s: 3 } }, l: { a: 1e300 }, g: { l: [9, 2.6], g: [0, 1000] }, r: -5 });
		const { scenario, notices } = await decodeScenario(await hashOfJson(json));
		expect(scenario.transforms.prune.sparsity).toBe(0.95);
		expect(scenario.policy.lookahead).toBe(64);
		expect(scenario.tiling.layers).toEqual([3, 9]);
		expect(scenario.tiling.grid).toEqual([1, 64]);
		expect(scenario.seed).toBe(0);
		expect(notices.every((n) => n.includes('adjusted'))).toBe(true);
		expect(notices).toHaveLength(5);
	});

	it('a number too big for a double (1e400 → Infinity) falls back to the default', async () => {
		const { scenario, notices } = await decodeScenario(await hashOfJson('{"c":1e400,"r":3}'));
		expect(scenario.ceilingBytes).toBeNull();
		expect(scenario.seed).toBe(3);
		expect(notices[0]).toContain('"ceilingBytes"');
	});

	it('a damaged baseline falls back field by field too, and names fields under baseline.', async () => {
		const json = JSON.stringify({ r: 5, b: { r: 'x', o: 'optimized' } });
		const { scenario, notices } = await decodeScenario(await hashOfJson(json));
		expect(scenario.seed).toBe(5);
		expect(scenario.baseline?.order).toBe('optimized');
		expect(scenario.baseline?.seed).toBe(1);
		expect(notices).toEqual([expect.stringContaining('"baseline.seed"')]);
	});

	it('unknown keys are dropped silently', async () => {
		const { scenario, notices } = await decodeScenario(await hashOfJson('{"zz":1,"t":{"zz":2},"r":8}'));
		expect(notices).toEqual([]);
		expect(scenario).toEqual({ ...defaultScenario(), seed: 8 });
	});

	it('caps the number of notices', async () => {
		const json = JSON.stringify({ m: 1, d: 1, c: 'x', p: 1, o: 1, x: 1, h: 1, r: 'x', t: { q: 1, c: 1, k: 1, f: 1 } });
		const { notices } = await decodeScenario(await hashOfJson(json));
		expect(notices).toHaveLength(MAX_NOTICES + 1);
		expect(notices.at(-1)).toMatch(/and \d+ more/);
	});
});
