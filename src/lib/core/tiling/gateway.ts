/**
 * The gateway's own work (`gateway: true`): it holds the whole input map of the fused stack, receives every
 * tile's output block and stitches the blocks into the whole output map. Memory: the input map and the
 * stitched output map live at once (or the prefix's peak, when the gateway runs layers 0..first−1 first, if
 * that is larger). Merge: every output byte is read from its received block and written into the full map,
 * a copy of Σ block bytes at the bandwidth of the gateway's RAM tier (2 bytes of traffic per byte copied,
 * as STREAM counts a copy). The gateway is the scenario's device profile (`options.profile`, the one the
 * prefix is timed on): the notebook has one such profile and the papers' gateways are boards of the same kind.
 */
import { ramBytes } from '../devices/profiles';
import type { DeviceProfile, Figure, MemoryTier } from '../devices/types';
import { tensorByteLength } from '../ir/dtype';
import type { TileCost } from './metrics';
import type { FusedStack } from './stack';

export interface GatewayCost {
	deviceId: string;
	/** Bytes of the stack's whole input map (what the gateway crops tiles from). */
	inputMapBytes: number;
	/** Bytes of the stack's whole output map (the blocks stitched). */
	outputMapBytes: number;
	/** max(input map + output map, prefix peak): the most bytes the gateway holds at once. */
	peakBytes: number;
	/** Read-write RAM of the gateway's profile (its writable tiers). */
	ramBytes: number;
	fits: boolean;
	/** Σ output block bytes copied into the full map. */
	mergeBytes: number;
	/** 2 × mergeBytes / bandwidth of the RAM tier: added to the tiled latency after the last block arrives. */
	mergeSeconds: number;
	/** The tier the maps live in: the largest writable one. */
	tier: string;
	/** The profile figures used, with their sources. */
	constants: Record<string, Figure>;
}

/** The writable tier with the most capacity (DRAM on a board, the largest SRAM/PSRAM on a microcontroller). */
export function mapTier(profile: DeviceProfile): MemoryTier {
	const writable = profile.memoryTiers.filter((t) => !t.readOnly);
	if (!writable.length) throw new Error(`device profile '${profile.id}' has no writable memory tier for the gateway's maps`);
	return writable.reduce((a, b) => (b.capacityBytes.value > a.capacityBytes.value ? b : a));
}

/** The gateway's memory and merge time for a stack whose tiles cost `costs`; `prefixPeakBytes` when it runs a prefix. */
export function gatewayCost(stack: FusedStack, costs: readonly TileCost[], profile: DeviceProfile, prefixPeakBytes = 0): GatewayCost {
	const tier = mapTier(profile);
	const inputMapBytes = tensorByteLength(stack.dtype, stack.shapes[stack.input]);
	const outputMapBytes = tensorByteLength(stack.dtype, stack.shapes[stack.output]);
	const peakBytes = Math.max(inputMapBytes + outputMapBytes, prefixPeakBytes);
	const ram = ramBytes(profile);
	const mergeBytes = costs.reduce((s, c) => s + c.outputBytes, 0);
	const constants: Record<string, Figure> = { [`bandwidth ${tier.name} (B/s)`]: tier.bandwidthBytesPerSecond };
	for (const t of profile.memoryTiers) if (!t.readOnly) constants[`capacity ${t.name} (B)`] = t.capacityBytes;
	return {
		deviceId: profile.id,
		inputMapBytes,
		outputMapBytes,
		peakBytes,
		ramBytes: ram,
		fits: peakBytes <= ram,
		mergeBytes,
		mergeSeconds: (2 * mergeBytes) / tier.bandwidthBytesPerSecond.value,
		tier: tier.name,
		constants
	};
}
