/**
 * Validation of a device profile a user pasted or edited in the page. Each number must be finite and
 * non-negative and carry a `source` or a `derivation`: a bare number is rejected.
 */
import * as v from 'valibot';
import type { DeviceProfile } from './types';

interface Provenance {
	source?: string;
	derivation?: string;
}

const PROVENANCE_MESSAGE = 'every figure needs a source or a derivation';
function hasProvenance<T extends Provenance>(f: T): boolean {
	return Boolean(f.source?.trim() || f.derivation?.trim());
}

const figure = v.pipe(
	v.object({ value: v.pipe(v.number(), v.finite(), v.minValue(0)), source: v.optional(v.string()), derivation: v.optional(v.string()) }),
	v.check(hasProvenance, PROVENANCE_MESSAGE)
);
const positiveFigure = v.pipe(
	v.object({ value: v.pipe(v.number(), v.finite(), v.gtValue(0)), source: v.optional(v.string()), derivation: v.optional(v.string()) }),
	v.check(hasProvenance, PROVENANCE_MESSAGE)
);

const tier = v.object({
	id: v.pipe(v.string(), v.minLength(1)),
	name: v.string(),
	readOnly: v.boolean(),
	capacityBytes: figure,
	bandwidthBytesPerSecond: positiveFigure,
	energyPerBytePicojoules: figure
});

const byDtype = v.object({ float32: positiveFigure, float16: positiveFigure, int8: positiveFigure });
const energyByDtype = v.object({ float32: figure, float16: figure, int8: figure });

export const deviceProfileSchema = v.object({
	id: v.pipe(v.string(), v.minLength(1)),
	name: v.string(),
	family: v.picklist(['mcu', 'sbc', 'gpu-sbc', 'browser']),
	memoryTiers: v.pipe(
		v.array(tier),
		v.check((tiers) => tiers.some((t) => !t.readOnly), 'a profile needs at least one writable memory tier')
	),
	storage: v.object({ name: v.string(), readBandwidthBytesPerSecond: positiveFigure, latencySeconds: figure, energyPerBytePicojoules: figure }),
	executeInPlace: v.pipe(v.object({ value: v.boolean(), source: v.optional(v.string()), derivation: v.optional(v.string()) }), v.check(hasProvenance, PROVENANCE_MESSAGE)),
	throughputMacsPerSecond: byDtype,
	energyPerMacPicojoules: energyByDtype,
	staticPowerWatts: figure,
	activePowerWatts: figure,
	runtime: v.object({ name: v.string(), overheadBytes: figure, ioInArena: v.boolean() })
});

/**
 * Parses an unknown value (e.g. JSON the user edited) into a profile, or returns the problems, each
 * with the dotted path of the offending field.
 */
export function validateProfile(input: unknown): { ok: true; profile: DeviceProfile } | { ok: false; issues: string[] } {
	const result = v.safeParse(deviceProfileSchema, input);
	if (result.success) return { ok: true, profile: result.output };
	return {
		ok: false,
		issues: result.issues.map((issue) => `${v.getDotPath(issue) ?? '(profile)'}: ${issue.message}`)
	};
}
