/** The per-operator figures the latency and energy estimates consume, and how dtypes map to costs. */
import type { DType } from '../ir/types';
import type { ComputeDtype, DeviceProfile, MemoryTier } from './types';

/** One operator's work. Bytes are what it reads and writes, split by where they live. */
export interface OpCost {
	name: string;
	opType: string;
	macs: number;
	/** The dtype its multiply-accumulates run in. */
	dtype: ComputeDtype;
	/** Weight bytes it reads (from the weight tier). */
	weightBytes: number;
	/** Activation bytes it reads and writes (from the activation tier). */
	activationBytes: number;
}

/** Where weights and activations live on the device, by tier id; `weightTier` may be read-only flash. */
export interface Placement {
	weightTier: string;
	activationTier: string;
}

/** The cost class of a tensor dtype: floats wider than 16 bits as fp32, 16-bit floats as fp16, integers as int8. */
export function costDtype(dtype: DType): ComputeDtype {
	if (dtype === 'float16' || dtype === 'bfloat16') return 'float16';
	if (/^u?int(8|4|2)$/.test(dtype) || dtype.startsWith('float8') || dtype === 'float4e2m1') return 'int8';
	return 'float32';
}

/** The profile's tier with this id. @throws Error naming the tier and the profile. */
export function tierOf(profile: DeviceProfile, id: string): MemoryTier {
	const tier = profile.memoryTiers.find((t) => t.id === id);
	if (!tier) throw new Error(`device ${profile.id} has no memory tier '${id}'`);
	return tier;
}

/**
 * The default placement: weights in read-only flash when the device executes in place, else in the
 * first writable tier; activations in the first writable tier.
 */
export function defaultPlacement(profile: DeviceProfile): Placement {
	const writable = profile.memoryTiers.find((t) => !t.readOnly);
	if (!writable) throw new Error(`device ${profile.id} has no writable memory tier`);
	const flash = profile.memoryTiers.find((t) => t.readOnly);
	return { weightTier: profile.executeInPlace.value && flash ? flash.id : writable.id, activationTier: writable.id };
}
