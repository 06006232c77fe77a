/**
 * fast-check arbitraries for valid scenarios, for property tests and the fuzz harness (tests only: this
 * module imports a dev dependency). Every value they produce is already normalised (integers rounded,
 * reals clamped, no -0), so decode(encode(s)) must equal s exactly.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { toBase64Url } from './base64url.ts';
import { deflateRaw } from './deflate.ts';
import * as S from './schema.ts';
import type { ModelRef, Scenario, ScenarioBody } from './schema.ts';

const id = fc
	.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,20}$/)
	.filter((s) => !S.RESERVED_KEYS.has(s));
const fileName = fc
	.string({ minLength: 1, maxLength: 40, unit: 'grapheme' })
	.filter((s) => v.is(S.FileNameSchema, s));
const sha256 = fc.stringMatching(/^[0-9a-f]{64}$/);
const int = (min: number, max: number) => fc.integer({ min, max });
const real = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map((x) => x + 0);
const nullableInt = (max: number) => fc.option(int(0, max), { nil: null });

export const modelRefArb: fc.Arbitrary<ModelRef> = fc.oneof(
	fc.record({ kind: fc.constant('zoo' as const), id }),
	fc.record({ kind: fc.constant('upload' as const), name: fileName, sha256 })
);

export const bodyArb: fc.Arbitrary<ScenarioBody> = fc.record({
	model: modelRefArb,
	dims: fc.dictionary(id, int(1, 2 ** 31 - 1), { maxKeys: 6 }),
	transforms: fc.record({
		quantize: fc.constantFrom(...S.QUANTIZE_MODES),
		perChannel: fc.boolean(),
		calibration: fc.constantFrom(...S.CALIBRATIONS),
		prune: fc.record({ mode: fc.constantFrom(...S.PRUNE_MODES), sparsity: real(0, S.MAX_SPARSITY) }),
		fuse: fc.boolean(),
		share: fc.record({ bits: fc.constantFrom(...S.SHARE_BITS) })
	}),
	device: fc.record({ profile: id, edits: fc.dictionary(id, real(0, 1e15), { maxKeys: 6 }) }),
	ceilingBytes: nullableInt(S.MAX_BYTES),
	planner: id,
	order: fc.constantFrom(...S.ORDERS),
	policy: fc.record({
		kind: fc.constantFrom(...S.POLICY_KINDS),
		lookahead: int(0, 64),
		budgetBytes: nullableInt(S.MAX_BYTES)
	}),
	workload: fc.record({
		kind: fc.constantFrom(...S.WORKLOAD_KINDS),
		models: fc.array(id, { maxLength: 5 }),
		ratePerSecond: real(0, 1e6),
		requests: int(1, 100_000),
		scheduler: fc.constantFrom(...S.SCHEDULERS),
		cache: fc.constantFrom(...S.CACHES),
		devices: int(1, 16)
	}),
	tiling: fc.record({
		layers: fc.tuple(int(0, 65_535), int(0, 65_535)).map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
		grid: fc.tuple(int(1, 64), int(1, 64)),
		devices: int(1, 64),
		linkBitsPerSecond: real(1, 1e12),
		network: fc.constantFrom(...S.TILING_NETWORKS),
		gateway: fc.boolean(),
		profiles: fc.array(id, { maxLength: 5 })
	}),
	cells: fc.array(id, { maxLength: 8 }),
	hide: fc.array(id, { maxLength: 8 }),
	seed: int(0, 2 ** 32 - 1)
});

export const scenarioArb: fc.Arbitrary<Scenario> = fc
	.tuple(bodyArb, fc.option(bodyArb, { nil: null, freq: 3 }))
	.map(([body, baseline]) => ({ v: S.SCENARIO_VERSION, ...body, baseline }));

/** A version-`version` link whose payload is exactly this JSON text (for handcrafted and hostile wire objects). */
export async function hashOfJson(json: string, version: number = S.SCENARIO_VERSION): Promise<string> {
	return `#s=${version}.${toBase64Url(await deflateRaw(new TextEncoder().encode(json)))}`;
}
