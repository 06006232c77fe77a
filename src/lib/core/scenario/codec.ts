/**
 * Scenario URLs: `#s=<version>.<payload>`, payload = short-key JSON of the non-default fields → deflate-raw
 * → base64url without padding. See docs/scenario-urls.md.
 *
 * Decoding never throws and always yields a valid scenario: whole-link problems (too long, unknown version,
 * damaged encoding, too large once inflated, unreadable JSON) give the default scenario and one notice;
 * field problems fall back per field (see wire.ts).
 */
import { fromBase64Url, toBase64Url } from './base64url.ts';
import { deflateRaw, inflateRaw, inflateStored, storedDeflate, type InflateResult } from './deflate.ts';
import { defaultScenario } from './defaults.ts';
import { migrate } from './migrations.ts';
import { LINK_NOTICES, Notices } from './notices.ts';
import { RESERVED_KEYS, SCENARIO_VERSION, type Scenario } from './schema.ts';
import { BASELINE_KEY, decodeBody, encodeBody } from './wire.ts';

/** Longest hash the decoder reads, in characters (about 6 KB of compressed payload). */
export const MAX_HASH_LENGTH = 8 * 1024;
/** Most bytes a payload may inflate to; stops deflate bombs (deflate reaches ~1000:1). */
export const MAX_INFLATED_BYTES = 64 * 1024;
/** The hash parameter that carries the scenario. */
export const HASH_PARAM = 's';

export interface DecodedScenario {
	/** Always a complete, valid scenario. */
	scenario: Scenario;
	/** Plain-text sentences for a non-blocking notice (render as text); empty when the link was clean. */
	notices: string[];
}

function wireOf(s: Scenario): Record<string, unknown> {
	const wire = encodeBody(s);
	if (s.baseline) wire[BASELINE_KEY] = encodeBody(s.baseline);
	return wire;
}

const hashOf = (deflated: Uint8Array): string => `#${HASH_PARAM}=${SCENARIO_VERSION}.${toBase64Url(deflated)}`;
const utf8 = (s: Scenario): Uint8Array => new TextEncoder().encode(JSON.stringify(wireOf(s)));

/** The URL hash (with its leading `#`) for a scenario. Only fields that differ from the defaults are written. */
export async function encodeScenario(s: Scenario): Promise<string> {
	return hashOf(await deflateRaw(utf8(s)));
}

/**
 * Synchronous variant for environments without `CompressionStream` (or callers that cannot await): writes
 * stored (uncompressed) deflate blocks, so its links are longer but open everywhere.
 */
export function encodeScenarioSync(s: Scenario): string {
	return hashOf(storedDeflate(utf8(s)));
}

type Envelope = { kind: 'empty' } | { kind: 'failed'; notice: string } | { kind: 'ok'; version: number; bytes: Uint8Array };

/** Finds `s=<version>.<payload>` in a hash (`#s=…`, `s=…`, or a whole URL) and decodes its base64url. */
function openEnvelope(hash: unknown): Envelope {
	if (typeof hash !== 'string') return { kind: 'failed', notice: LINK_NOTICES.notScenario };
	if (hash.length > MAX_HASH_LENGTH) return { kind: 'failed', notice: LINK_NOTICES.tooLong };
	const fragment = hash.includes('#') ? hash.slice(hash.indexOf('#') + 1) : hash;
	const param = fragment.split('&').find((p) => p.startsWith(`${HASH_PARAM}=`));
	if (param === undefined) return { kind: 'empty' };
	const match = /^(\d{1,6})\.([A-Za-z0-9_-]*)$/.exec(param.slice(HASH_PARAM.length + 1));
	if (!match) return { kind: 'failed', notice: LINK_NOTICES.notScenario };
	const version = Number(match[1]);
	if (version > SCENARIO_VERSION) return { kind: 'failed', notice: LINK_NOTICES.newerVersion };
	const bytes = fromBase64Url(match[2]);
	if (!bytes) return { kind: 'failed', notice: LINK_NOTICES.badEncoding };
	return { kind: 'ok', version, bytes };
}

/** JSON.parse that drops prototype-pollution keys wherever they appear. */
const parseJson = (text: string): unknown =>
	JSON.parse(text, (key, value: unknown) => (RESERVED_KEYS.has(key) ? undefined : value));

function finish(version: number, inflated: InflateResult, notices: Notices): Scenario {
	if (!inflated.ok) {
		const reason = inflated.reason;
		notices.add(
			reason === 'too-large'
				? LINK_NOTICES.tooLarge
				: reason === 'unsupported'
					? LINK_NOTICES.noDecompression
					: LINK_NOTICES.badEncoding
		);
		return defaultScenario();
	}
	let wire: unknown;
	try {
		wire = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes));
	} catch {
		notices.add(LINK_NOTICES.badJson);
		return defaultScenario();
	}
	const migrated = migrate(wire, version);
	if (!migrated.ok) {
		notices.add(
			migrated.reason === 'newer'
				? LINK_NOTICES.newerVersion
				: migrated.reason === 'failed'
					? LINK_NOTICES.migrationFailed
					: LINK_NOTICES.unknownVersion
		);
		return defaultScenario();
	}
	const body = decodeBody(migrated.wire, notices);
	const rawBaseline =
		typeof migrated.wire === 'object' && migrated.wire !== null && !Array.isArray(migrated.wire)
			? (migrated.wire as Record<string, unknown>)[BASELINE_KEY]
			: undefined;
	const baseline =
		rawBaseline === undefined || rawBaseline === null ? null : decodeBody(rawBaseline, notices, 'baseline.');
	return { v: SCENARIO_VERSION, ...body, baseline };
}

async function decodeUnsafe(hash: unknown, notices: Notices): Promise<Scenario> {
	const envelope = openEnvelope(hash);
	if (envelope.kind === 'empty') return defaultScenario();
	if (envelope.kind === 'failed') {
		notices.add(envelope.notice);
		return defaultScenario();
	}
	return finish(envelope.version, await inflateRaw(envelope.bytes, MAX_INFLATED_BYTES), notices);
}

/**
 * The scenario in a URL hash. Never throws (never rejects): any problem gives defaults for what could not
 * be read, plus notices. A hash without an `s=` parameter gives the default scenario and no notices.
 */
export async function decodeScenario(hash: string): Promise<DecodedScenario> {
	const notices = new Notices();
	try {
		const scenario = await decodeUnsafe(hash, notices);
		return { scenario, notices: notices.toArray() };
	} catch {
		// Defence in depth: every path above already handles its own failures.
		return { scenario: defaultScenario(), notices: [LINK_NOTICES.notScenario] };
	}
}

/**
 * Synchronous decoder for environments without `DecompressionStream`: reads links written by
 * `encodeScenarioSync` (stored blocks); a compressed link gives the default scenario and a notice.
 */
export function decodeScenarioSync(hash: string): DecodedScenario {
	const notices = new Notices();
	try {
		const envelope = openEnvelope(hash);
		if (envelope.kind === 'empty') return { scenario: defaultScenario(), notices: [] };
		if (envelope.kind === 'failed') return { scenario: defaultScenario(), notices: [envelope.notice] };
		const scenario = finish(envelope.version, inflateStored(envelope.bytes, MAX_INFLATED_BYTES), notices);
		return { scenario, notices: notices.toArray() };
	} catch {
		return { scenario: defaultScenario(), notices: [LINK_NOTICES.notScenario] };
	}
}
