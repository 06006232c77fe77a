/**
 * A user's edits of a device profile, as the scenario stores them: a flat record from a dotted field
 * path (`memoryTiers.0.capacityBytes`, `throughputMacsPerSecond.int8`) to the new value of that
 * figure. Applying them gives a new profile (the built-in one is never changed); each edited figure
 * says it was edited and what the profile had.
 */
import type { DeviceProfile, Figure } from './types';

/** One editable figure of a profile: where it is, what to call it, its unit. */
export interface EditableField {
	path: string;
	label: string;
	unit: string;
	figure: Figure;
}

/** Every numeric figure of `profile` a person may edit, in the order the page lists them. */
export function editableFields(profile: DeviceProfile): EditableField[] {
	const fields: EditableField[] = [];
	profile.memoryTiers.forEach((t, i) => {
		fields.push({ path: `memoryTiers.${i}.capacityBytes`, label: `${t.name} capacity`, unit: 'B', figure: t.capacityBytes });
		fields.push({ path: `memoryTiers.${i}.bandwidthBytesPerSecond`, label: `${t.name} bandwidth`, unit: 'B/s', figure: t.bandwidthBytesPerSecond });
		fields.push({ path: `memoryTiers.${i}.energyPerBytePicojoules`, label: `${t.name} energy per byte`, unit: 'pJ/B', figure: t.energyPerBytePicojoules });
	});
	fields.push({ path: 'storage.readBandwidthBytesPerSecond', label: `${profile.storage.name} read bandwidth`, unit: 'B/s', figure: profile.storage.readBandwidthBytesPerSecond });
	fields.push({ path: 'storage.latencySeconds', label: `${profile.storage.name} latency`, unit: 's', figure: profile.storage.latencySeconds });
	for (const d of ['float32', 'float16', 'int8'] as const) fields.push({ path: `throughputMacsPerSecond.${d}`, label: `Throughput ${d}`, unit: 'MAC/s', figure: profile.throughputMacsPerSecond[d] });
	for (const d of ['float32', 'float16', 'int8'] as const) fields.push({ path: `energyPerMacPicojoules.${d}`, label: `Energy per MAC ${d}`, unit: 'pJ', figure: profile.energyPerMacPicojoules[d] });
	fields.push({ path: 'staticPowerWatts', label: 'Static power', unit: 'W', figure: profile.staticPowerWatts });
	fields.push({ path: 'activePowerWatts', label: 'Active power', unit: 'W', figure: profile.activePowerWatts });
	fields.push({ path: 'runtime.overheadBytes', label: `${profile.runtime.name} overhead`, unit: 'B', figure: profile.runtime.overheadBytes });
	return fields;
}

function isFigure(x: unknown): x is Figure {
	return typeof x === 'object' && x !== null && typeof (x as Figure).value === 'number';
}

/**
 * A copy of `profile` with each edit applied to the figure at its path; the figure's derivation then
 * names the original value. Paths that name no figure are returned in `unknown` and ignored.
 */
export function applyEdits(profile: DeviceProfile, edits: Readonly<Record<string, number>>): { profile: DeviceProfile; unknown: string[] } {
	const copy = structuredClone(profile) as DeviceProfile;
	const unknown: string[] = [];
	for (const [path, value] of Object.entries(edits)) {
		const parts = path.split('.');
		let parent: unknown = copy;
		for (const p of parts.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[p] : undefined;
		const key = parts[parts.length - 1];
		const target = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
		if (!Object.hasOwn(Object(parent), key) || !isFigure(target)) {
			unknown.push(path);
			continue;
		}
		(parent as Record<string, Figure>)[key] = { value, derivation: `edited in the page (the profile had ${target.value}: ${target.source ?? target.derivation ?? 'no source'})` };
	}
	return { profile: copy, unknown };
}
