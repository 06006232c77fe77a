/**
 * Energy of one inference: dynamic energy of MACs and of bytes moved per memory tier, plus the
 * board's static power over the inference time. Static power dominates on most boards (RESEARCH.md).
 */
import type { DeviceProfile, Figure } from './types';
import type { LatencyEstimate } from './latency';
import { defaultPlacement, tierOf, type OpCost, type Placement } from './op-cost';

export interface EnergyEstimate {
	totalJoules: number;
	computeJoules: number;
	memoryJoules: number;
	loadJoules: number;
	staticJoules: number;
	/** activePower × time: the whole board flat out, a ceiling to compare the model with. */
	activePowerBoundJoules: number;
	formula: string;
	constants: Record<string, Figure>;
}

export const ENERGY_FORMULA =
	'E = Σ_op (MACs × e_MAC(dtype) + weightBytes × e_byte(weight tier) + activationBytes × e_byte(activation tier)) + loadBytes × e_byte(storage) + P_static × t';

const PJ = 1e-12;

/**
 * Estimates energy in joules, given the latency estimate of the same ops (for the static term) and
 * the same `loadBytes`. Monotone in MACs, bytes and time; int8 costs less than fp32 per MAC.
 */
export function estimateEnergy(
	ops: readonly OpCost[],
	profile: DeviceProfile,
	latency: LatencyEstimate,
	options: { placement?: Placement; loadBytes?: number } = {}
): EnergyEstimate {
	const placement = options.placement ?? defaultPlacement(profile);
	const weightTier = tierOf(profile, placement.weightTier);
	const activationTier = tierOf(profile, placement.activationTier);
	let computeJoules = 0;
	let memoryJoules = 0;
	for (const op of ops) {
		computeJoules += op.macs * profile.energyPerMacPicojoules[op.dtype].value * PJ;
		memoryJoules +=
			(op.weightBytes * weightTier.energyPerBytePicojoules.value + op.activationBytes * activationTier.energyPerBytePicojoules.value) * PJ;
	}
	const loadBytes = options.loadBytes ?? 0;
	const loadJoules = loadBytes * profile.storage.energyPerBytePicojoules.value * PJ;
	const staticJoules = profile.staticPowerWatts.value * latency.totalSeconds;
	const constants: Record<string, Figure> = {};
	for (const d of new Set(ops.map((o) => o.dtype))) constants[`energy per MAC ${d} (pJ)`] = profile.energyPerMacPicojoules[d];
	constants[`energy per byte ${weightTier.name} (pJ)`] = weightTier.energyPerBytePicojoules;
	constants[`energy per byte ${activationTier.name} (pJ)`] = activationTier.energyPerBytePicojoules;
	if (loadBytes > 0) constants[`energy per byte ${profile.storage.name} (pJ)`] = profile.storage.energyPerBytePicojoules;
	constants['static power (W)'] = profile.staticPowerWatts;
	return {
		totalJoules: computeJoules + memoryJoules + loadJoules + staticJoules,
		computeJoules,
		memoryJoules,
		loadJoules,
		staticJoules,
		activePowerBoundJoules: profile.activePowerWatts.value * latency.totalSeconds,
		formula: ENERGY_FORMULA,
		constants
	};
}
