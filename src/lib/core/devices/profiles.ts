/** Every built-in device profile, by id. Profiles are data; see profiles-mcu.ts and profiles-sbc.ts. */
import { browserProfile } from './calibrate';
import { cortexM4, cortexM7, esp32s3 } from './profiles-mcu';
import { jetsonNano, pi3, pi4_1gb, pi4_2gb, piZero2w } from './profiles-sbc';
import type { DeviceProfile } from './types';

export { cortexM4, cortexM7, esp32s3, jetsonNano, pi3, pi4_1gb, pi4_2gb, piZero2w, browserProfile };

/** Built-in profiles in the order the page lists them; "this browser" uncalibrated. */
export const deviceProfiles: readonly DeviceProfile[] = [
	cortexM4,
	cortexM7,
	esp32s3,
	piZero2w,
	pi3,
	pi4_1gb,
	pi4_2gb,
	jetsonNano,
	browserProfile()
];

/** Short names the CLI accepts besides the ids. */
const ALIASES: Record<string, string> = { pi4: 'pi4-2gb', m4: 'cortex-m4', m7: 'cortex-m7', esp32: 'esp32-s3', nano: 'jetson-nano', zero2w: 'pi-zero-2w' };

/** The built-in profile with this id or alias, or undefined. */
export function deviceById(id: string): DeviceProfile | undefined {
	const key = ALIASES[id] ?? id;
	return deviceProfiles.find((p) => p.id === key);
}

/** Read-write RAM of a profile in bytes: Σ capacities of its writable tiers (the default ceiling). */
export function ramBytes(profile: DeviceProfile): number {
	return profile.memoryTiers.filter((t) => !t.readOnly).reduce((s, t) => s + t.capacityBytes.value, 0);
}
