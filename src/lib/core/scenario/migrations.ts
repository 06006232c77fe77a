/**
 * The migration chain: every scenario link ever issued keeps opening. A migration turns the parsed wire
 * object (short keys, defaults omitted) of version n into that of version n + 1; decoding runs the chain
 * from the link's version up to `SCENARIO_VERSION` and then validates field by field as usual.
 *
 * Version 2 changed the default of `cells` (the open notebook cells) from `['model']` to every cell; a
 * version 1 link that omitted `cells` meant `['model']`, so its migration writes that out.
 *
 * Version 3 changed the tiling defaults from 1 fused layer, a 1×1 grid and a 1 Mbit/s link to 8 layers, 3×3
 * and 100 Mbit/s; a version 2 link that omitted them meant the old values, so its migration writes them out.
 * (Version 3's new fields — tiling network, gateway, profiles, workload devices — have defaults that match
 * what version 2 pages did, so they need nothing.)
 *
 * When the format changes:
 * bump `SCENARIO_VERSION`, add `MIGRATIONS[old] = (wire) => newWire`, and check a golden URL of the old
 * version into `tests/unit/golden-urls/` so the migration is pinned forever. Changing a default or a short
 * key is a format change too (old links omit fields that had the old default).
 */
import { SCENARIO_VERSION } from './schema.ts';

/** Turns the wire object of version `from` into the wire object of version `from + 1`. May throw on junk. */
export type Migration = (wire: unknown) => unknown;

/** Oldest version a link may carry and still be migrated. */
export const OLDEST_VERSION = 1;

/** Short keys (wire.ts) of the cells field and of the pinned baseline, as version 1 wrote them. */
const V1_CELLS_KEY = 'x';
const V1_BASELINE_KEY = 'b';
const V1_DEFAULT_CELLS = ['model'];

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);
const has = (o: Record<string, unknown>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** A version 1 body without `cells` had the version 1 default; say so explicitly. Junk passes through. */
function v1CellsExplicit(body: unknown): unknown {
	if (!isPlainObject(body) || has(body, V1_CELLS_KEY)) return body;
	return { ...body, [V1_CELLS_KEY]: [...V1_DEFAULT_CELLS] };
}

/** Short keys (wire.ts) of the tiling group and its layers, grid and link fields, and version 2's defaults. */
const V2_TILING_KEY = 'g';
const V2_TILING_DEFAULTS: Readonly<Record<string, unknown>> = { l: [0, 0], g: [1, 1], b: 1e6 };

/** A version 2 body's omitted tiling layers, grid and link had version 2's defaults; say so. Junk passes through. */
function v2TilingExplicit(body: unknown): unknown {
	if (!isPlainObject(body)) return body;
	const tiling = has(body, V2_TILING_KEY) ? body[V2_TILING_KEY] : {};
	if (!isPlainObject(tiling)) return body;
	const filled: Record<string, unknown> = { ...tiling };
	for (const [key, value] of Object.entries(V2_TILING_DEFAULTS)) {
		if (!has(filled, key)) filled[key] = structuredClone(value);
	}
	return { ...body, [V2_TILING_KEY]: filled };
}

/** Applies a body migration to the top level and to the pinned baseline (when it is an object). */
function bodyAndBaseline(step: (body: unknown) => unknown, wire: unknown): unknown {
	const top = step(wire);
	if (!isPlainObject(top) || !isPlainObject(top[V1_BASELINE_KEY])) return top;
	return { ...top, [V1_BASELINE_KEY]: step(top[V1_BASELINE_KEY]) };
}

/** `MIGRATIONS[n]` upgrades version n to n + 1. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
	1: (wire) => bodyAndBaseline(v1CellsExplicit, wire),
	2: (wire) => bodyAndBaseline(v2TilingExplicit, wire)
};

export type MigrationResult =
	| { ok: true; wire: unknown }
	| { ok: false; reason: 'newer' | 'unknown' | 'failed' };

/**
 * Runs the chain from `fromVersion` to `toVersion`. Never throws: a migration that throws gives `failed`.
 * `chain`, `oldest` and `toVersion` are parameters so tests can exercise the mechanism with made-up versions.
 */
export function migrate(
	wire: unknown,
	fromVersion: number,
	chain: Readonly<Record<number, Migration>> = MIGRATIONS,
	oldest = OLDEST_VERSION,
	toVersion = SCENARIO_VERSION
): MigrationResult {
	if (!Number.isSafeInteger(fromVersion)) return { ok: false, reason: 'unknown' };
	if (fromVersion > toVersion) return { ok: false, reason: 'newer' };
	if (fromVersion < oldest) return { ok: false, reason: 'unknown' };
	let current = wire;
	for (let version = fromVersion; version < toVersion; version++) {
		const step = Object.prototype.hasOwnProperty.call(chain, version) ? chain[version] : undefined;
		if (!step) return { ok: false, reason: 'unknown' };
		try {
			current = step(current);
		} catch {
			return { ok: false, reason: 'failed' };
		}
	}
	return { ok: true, wire: current };
}
