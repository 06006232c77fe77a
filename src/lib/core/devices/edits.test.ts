import { describe, expect, it } from 'vitest';
import { applyEdits, editableFields } from './edits';
import { cortexM4, deviceProfiles } from './profiles';
import { validateProfile } from './schema';

describe('device profile edits', () => {
	it('lists only figures that applyEdits can change, for every profile', () => {
		for (const p of deviceProfiles) {
			const fields = editableFields(p);
			expect(fields.length).toBeGreaterThan(10);
			const edits = Object.fromEntries(fields.map((f) => [f.path, f.figure.value * 2]));
			const { profile, unknown } = applyEdits(p, edits);
			expect(unknown).toEqual([]);
			expect(editableFields(profile).map((f) => f.figure.value)).toEqual(fields.map((f) => f.figure.value * 2));
			expect(validateProfile(profile).ok).toBe(true);
		}
	});

	it('never changes the built-in profile, and names the original value', () => {
		const before = structuredClone(cortexM4);
		const { profile } = applyEdits(cortexM4, { 'memoryTiers.0.capacityBytes': 1024 });
		expect(cortexM4).toEqual(before);
		expect(profile.memoryTiers[0].capacityBytes.value).toBe(1024);
		expect(profile.memoryTiers[0].capacityBytes.derivation).toContain(String(before.memoryTiers[0].capacityBytes.value));
	});

	it('reports paths that are not figures, and a zero bandwidth fails validation', () => {
		expect(applyEdits(cortexM4, { 'runtime.name': 1, 'nope.x': 2, __proto__x: 3 }).unknown).toHaveLength(3);
		const { profile } = applyEdits(cortexM4, { 'memoryTiers.0.bandwidthBytesPerSecond': 0 });
		const r = validateProfile(profile);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.issues.join()).toContain('memoryTiers.0.bandwidthBytesPerSecond');
	});
});
