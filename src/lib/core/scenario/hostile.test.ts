/** The decoder against hostile input (issue 9): it never throws and always yields a valid scenario. */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hashOfJson, scenarioArb } from './arbitraries.ts';
import { fromBase64Url, toBase64Url } from './base64url.ts';
import { decodeScenario, decodeScenarioSync, encodeScenario, MAX_HASH_LENGTH, MAX_INFLATED_BYTES } from './codec.ts';
import { deflateRaw, inflateRaw } from './deflate.ts';
import { defaultScenario } from './defaults.ts';
import { LINK_NOTICES } from './notices.ts';
import { isScenario } from './schema.ts';

const SEED = 0x0b5e55;
/** Longer runs by hand: `URL_FUZZ_RUNS=20000 npx vitest run src/lib/core/scenario/hostile.test.ts` (every property). */
const runs = (n: number) => Number(process.env.URL_FUZZ_RUNS) || n;

/** The slowest input to decode (both decoders; the first, which warms the modules up, left out), for docs/robustness.md. */
let slowest = { ms: 0, length: 0 };
let decoded = 0;
afterAll(() => console.log(`${decoded} links; slowest: ${slowest.ms.toFixed(1)} ms to decode (${slowest.length} characters)`));

/** What must hold for every input, however hostile. */
async function expectSafe(hash: string): Promise<void> {
	const t0 = performance.now();
	const got = await decodeScenario(hash);
	expect(isScenario(got.scenario)).toBe(true);
	for (const n of got.notices) {
		expect(typeof n).toBe('string');
		expect(n.length).toBeLessThan(200);
		expect(n).not.toMatch(/[<>]/);
	}
	const sync = decodeScenarioSync(hash);
	expect(isScenario(sync.scenario)).toBe(true);
	const ms = performance.now() - t0;
	if (decoded++ > 0 && ms > slowest.ms) slowest = { ms, length: hash.length };
}

const SHORT_KEYS = ['m', 'd', 't', 'q', 'c', 'k', 'p', 's', 'f', 'h', 'b', 'e', 'o', 'l', 'a', 'w', 'n', 'r', 'g', 'x'];
const junkValue = fc.oneof(
	fc.jsonValue({ maxDepth: 3 }),
	fc.constantFrom(1e308, -1e308, 2 ** 60, -0.5, 0.999, '<img src=x onerror=alert(1)>', '__proto__', 'constructor'),
	fc.constantFrom(['z', '<b>x</b>'], ['u', 'a.onnx', 'f'.repeat(64)], ['u', 'a.onnx'], [9, 9], { kind: 'zoo', id: 1 })
);
const junkObject: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	obj: fc.dictionary(fc.constantFrom(...SHORT_KEYS), fc.oneof({ depthSize: 'small' }, junkValue, tie('obj')), {
		maxKeys: 8
	})
})).obj;

describe('hostile links', () => {
	it('random strings never throw and give a valid scenario', async () => {
		const text = fc.oneof(
			fc.string({ unit: 'binary', maxLength: 300 }),
			fc.string({ maxLength: 300 }).map((s) => `#s=1.${s}`),
			fc.stringMatching(/^[A-Za-z0-9_-]{0,400}$/).map((s) => `#s=1.${s}`),
			fc.stringMatching(/^#s=\d{0,8}\.?[A-Za-z0-9_=+/-]{0,50}$/)
		);
		await fc.assert(fc.asyncProperty(text, expectSafe), { seed: SEED, numRuns: runs(600) });
	});

	it('mutated valid links (bit flips, truncation, splices) never throw', async () => {
		const mutation = fc.oneof(
			fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
			fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
			fc.record({ op: fc.constant('splice' as const), at: fc.nat(), junk: fc.uint8Array({ maxLength: 12 }) }),
			fc.record({ op: fc.constant('char' as const), at: fc.nat(), c: fc.string({ minLength: 1, maxLength: 1 }) })
		);
		await fc.assert(
			fc.asyncProperty(scenarioArb, fc.array(mutation, { minLength: 1, maxLength: 4 }), async (s, ops) => {
				let hash = await encodeScenario(s);
				for (const m of ops) {
					const body = hash.slice(5);
					if (m.op === 'char') {
						const i = m.at % (hash.length + 1);
						hash = hash.slice(0, i) + m.c + hash.slice(i + 1);
						continue;
					}
					const bytes = fromBase64Url(body);
					if (!bytes) continue;
					let out = bytes;
					if (m.op === 'flip' && bytes.length > 0) {
						out = bytes.slice();
						out[m.at % out.length] ^= 1 << m.bit;
					} else if (m.op === 'truncate') {
						out = bytes.subarray(0, m.at % (bytes.length + 1));
					} else if (m.op === 'splice') {
						const i = m.at % (bytes.length + 1);
						out = new Uint8Array([...bytes.subarray(0, i), ...m.junk, ...bytes.subarray(i)]);
					}
					hash = `#s=1.${toBase64Url(out)}`;
				}
				await expectSafe(hash);
			}),
			{ seed: SEED + 1, numRuns: runs(500) }
		);
	});

	it('well-formed links full of junk values never throw and keep a valid scenario', async () => {
		await fc.assert(
			fc.asyncProperty(junkObject, fc.option(junkObject), async (wire, baseline) => {
				const payload = baseline === null ? wire : { ...(wire as object), b: baseline };
				await expectSafe(await hashOfJson(JSON.stringify(payload)));
			}),
			{ seed: SEED + 2, numRuns: runs(500) }
		);
	});

	it('v3 fields (tiling network, gateway, device profiles; workload devices) full of junk fall back alone', async () => {
		const junk = fc.oneof(
			junkValue,
			fc.array(fc.oneof(junkValue, fc.constantFrom('esp32-s3', '__proto__', '<b>', 'a'.repeat(300))), { maxLength: 80 }),
			fc.constantFrom(0, -1, 65, 2 ** 31, 1e12, 'wifi', 'lan', 'mesh', true, null, [])
		);
		await fc.assert(
			fc.asyncProperty(junk, junk, junk, junk, async (network, gateway, profiles, devices) => {
				const hash = await hashOfJson(JSON.stringify({ g: { n: network, w: gateway, p: profiles, d: 4 }, w: { d: devices, n: 50 }, r: 7 }));
				await expectSafe(hash);
				const { scenario } = await decodeScenario(hash);
				// The valid fields beside the junk are kept.
				expect([scenario.seed, scenario.tiling.devices, scenario.workload.requests]).toEqual([7, 4, 50]);
			}),
			{ seed: SEED + 3, numRuns: runs(500) }
		);
	});

	it('prototype-pollution keys are ignored and pollute nothing', async () => {
		const json =
			'{"__proto__":{"polluted":1,"r":7},"constructor":{"prototype":{"polluted":2}},' +
			'"t":{"__proto__":{"q":"fp16"},"c":true},"d":{"__proto__":5,"constructor":3,"prototype":4,"batch":2},' +
			'"e":{"p":"__proto__","e":{"__proto__":{"x":1},"ramBytes":1024}},"x":["__proto__","model"],' +
			'"b":{"__proto__":{"r":9}}}';
		const { scenario, notices } = await decodeScenario(await hashOfJson(json));
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
		expect(scenario.seed).toBe(1);
		expect(scenario.transforms.quantize).toBe('none');
		expect(scenario.transforms.perChannel).toBe(true);
		expect(scenario.dims).toEqual({ batch: 2 });
		expect(Object.getPrototypeOf(scenario.dims)).toBe(Object.prototype);
		expect(scenario.device).toEqual({ profile: 'esp32-s3', edits: { ramBytes: 1024 } });
		expect(scenario.cells).toEqual(defaultScenario().cells);
		expect(scenario.baseline).toEqual((({ v: _v, baseline: _b, ...body }) => body)(defaultScenario()));
		expect(notices.join(' ')).toContain('"device.profile"');
		expect(notices.join(' ')).toContain('"cells"');
	});

	it('markup in every string field is refused as data, and never echoed into notices', async () => {
		const x = '<img src=x onerror=alert(1)>';
		const json = JSON.stringify({
			m: ['u', x, 'a'.repeat(64)],
			d: { [x]: 1 },
			e: { p: x, e: { [x]: 1 } },
			p: x,
			x: [x],
			h: [x],
			w: { m: [x] },
			g: { n: x, p: [x] }
		});
		const { scenario, notices } = await decodeScenario(await hashOfJson(json));
		expect(JSON.stringify(scenario)).not.toContain('<');
		expect(notices.length).toBeGreaterThan(0);
		expect(notices.join('')).not.toMatch(/[<>]|onerror/);
	});

	it('stops a deflate bomb at the inflated-size limit', async () => {
		const bomb = await deflateRaw(new TextEncoder().encode(`{"x":"${'a'.repeat(5_000_000)}"}`));
		const hash = `#s=1.${toBase64Url(bomb)}`;
		expect(hash.length).toBeLessThanOrEqual(MAX_HASH_LENGTH);
		const t0 = performance.now();
		const { scenario, notices } = await decodeScenario(hash);
		expect(performance.now() - t0).toBeLessThan(2000);
		expect(scenario).toEqual(defaultScenario());
		expect(notices).toEqual([LINK_NOTICES.tooLarge]);
	});

	it('inflateRaw honours its byte limit on a much larger bomb', async () => {
		const bomb = await deflateRaw(new Uint8Array(50_000_000));
		const over = await inflateRaw(bomb, MAX_INFLATED_BYTES);
		expect(over).toEqual({ ok: false, reason: 'too-large' });
		const fits = await inflateRaw(await deflateRaw(new Uint8Array(1000)), MAX_INFLATED_BYTES);
		expect(fits.ok && fits.bytes.length).toBe(1000);
	});
});
