/**
 * Latency of one inference by a per-operator roofline over a device profile, plus the time to load
 * the weights from storage. The formula and every constant used come back with the numbers.
 */
import type { Figure, DeviceProfile } from './types';
import { defaultPlacement, tierOf, type OpCost, type Placement } from './op-cost';

export interface OpLatency {
	name: string;
	computeSeconds: number;
	memorySeconds: number;
	/** max(compute, memory). */
	seconds: number;
	bound: 'compute' | 'memory';
}

export interface LatencyEstimate {
	/** Σ op seconds + loadSeconds. */
	totalSeconds: number;
	computeBoundSeconds: number;
	loadSeconds: number;
	perOp: OpLatency[];
	formula: string;
	/** The constants the formula used, labelled as the page shows them. */
	constants: Record<string, Figure>;
}

export const LATENCY_FORMULA =
	't = Σ_op max(MACs / throughput(dtype), weightBytes / bandwidth(weight tier) + activationBytes / bandwidth(activation tier)) + [storage latency + loadBytes / storage bandwidth]';

/**
 * Estimates latency in seconds. `loadBytes` is what is read from storage for this inference (all
 * weights for a cold start, 0 when they are already resident, the whole model again when streaming).
 * Monotone: more MACs or bytes, or a slower profile, never gives less time.
 */
export function estimateLatency(ops: readonly OpCost[], profile: DeviceProfile, options: { placement?: Placement; loadBytes?: number } = {}): LatencyEstimate {
	const placement = options.placement ?? defaultPlacement(profile);
	const weightTier = tierOf(profile, placement.weightTier);
	const activationTier = tierOf(profile, placement.activationTier);
	const perOp: OpLatency[] = ops.map((op) => {
		const computeSeconds = op.macs / profile.throughputMacsPerSecond[op.dtype].value;
		const memorySeconds =
			op.weightBytes / weightTier.bandwidthBytesPerSecond.value + op.activationBytes / activationTier.bandwidthBytesPerSecond.value;
		return { name: op.name, computeSeconds, memorySeconds, seconds: Math.max(computeSeconds, memorySeconds), bound: computeSeconds >= memorySeconds ? 'compute' : 'memory' };
	});
	const loadBytes = options.loadBytes ?? 0;
	const loadSeconds = loadBytes > 0 ? profile.storage.latencySeconds.value + loadBytes / profile.storage.readBandwidthBytesPerSecond.value : 0;
	const computeBoundSeconds = perOp.reduce((s, o) => s + o.seconds, 0);
	const dtypes = new Set(ops.map((o) => o.dtype));
	const constants: Record<string, Figure> = {};
	for (const d of dtypes) constants[`throughput ${d} (MAC/s)`] = profile.throughputMacsPerSecond[d];
	constants[`bandwidth ${weightTier.name} (B/s)`] = weightTier.bandwidthBytesPerSecond;
	constants[`bandwidth ${activationTier.name} (B/s)`] = activationTier.bandwidthBytesPerSecond;
	if (loadBytes > 0) {
		constants[`${profile.storage.name} read bandwidth (B/s)`] = profile.storage.readBandwidthBytesPerSecond;
		constants[`${profile.storage.name} latency (s)`] = profile.storage.latencySeconds;
	}
	return { totalSeconds: computeBoundSeconds + loadSeconds, computeBoundSeconds, loadSeconds, perOp, formula: LATENCY_FORMULA, constants };
}
