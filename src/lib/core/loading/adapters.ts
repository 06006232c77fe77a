/**
 * Adapters from the rest of the core to the simulator's own small types. They are structural (they name only
 * the fields they read), so the simulator does not depend on the analysis or device modules' internals.
 */
import type { DeviceSpec, LayerSpec, ModelSpec } from './types';

/** The part of `analyze()`'s ModelSummary the loader reads: per-node rows in execution order. */
export interface SummaryLike {
	layers: { name: string; opType: string; macs: number; weightBytes: number; outputBytes: number }[];
}

export interface LayersFromSummaryOptions {
	/**
	 * Fold nodes without weights (Relu, Add, Reshape…) into the weighted layer before them, as a loader that
	 * reads one file per weighted layer would (EdgeCaffe's layers). Default true.
	 */
	mergeWeightless?: boolean;
	/** Arithmetic dtype of every layer (a summary row has none); 'float32' when absent. */
	dtype?: string;
}

/**
 * Turns a model summary into loader layers. A merged layer sums MACs and weights, and keeps the largest output
 * of the nodes it folds (a conservative stand-in for the activation it holds).
 */
export function layersFromSummary(summary: SummaryLike, options: LayersFromSummaryOptions = {}): LayerSpec[] {
	const merge = options.mergeWeightless ?? true;
	const dtype = options.dtype ?? 'float32';
	const layers: LayerSpec[] = [];
	let leading: LayerSpec | null = null;
	for (const row of summary.layers) {
		const own: LayerSpec = { name: row.name || row.opType, weightBytes: row.weightBytes, outputBytes: row.outputBytes, macs: row.macs, dtype };
		const last = layers[layers.length - 1];
		if (merge && row.weightBytes === 0 && last) {
			fold(last, own);
		} else if (merge && row.weightBytes === 0) {
			leading = leading ? (fold(leading, own), leading) : own;
		} else {
			if (leading) {
				fold(own, leading);
				leading = null;
			}
			layers.push(own);
		}
	}
	if (leading) layers.push(leading);
	return layers;
}

function fold(into: LayerSpec, other: LayerSpec): void {
	into.weightBytes += other.weightBytes;
	into.macs = (into.macs ?? 0) + (other.macs ?? 0);
	into.outputBytes = Math.max(into.outputBytes, other.outputBytes);
}

/** A model spec from a summary, with the model's input bytes when the summary has them. */
export function modelFromSummary(id: string, summary: SummaryLike, inputBytes = 0, options?: LayersFromSummaryOptions): ModelSpec {
	return { id, layers: layersFromSummary(summary, options), inputBytes };
}

interface FigureLike {
	value: number;
}

/** The part of a DeviceProfile (src/lib/core/devices) the loader reads. */
export interface DeviceProfileLike {
	id: string;
	storage: { readBandwidthBytesPerSecond: FigureLike; latencySeconds: FigureLike; energyPerBytePicojoules: FigureLike };
	throughputMacsPerSecond: Record<string, FigureLike>;
	energyPerMacPicojoules: Record<string, FigureLike>;
	staticPowerWatts: FigureLike;
}

/**
 * A device spec from a profile. Energy follows the profiles' model: static power over the whole time plus
 * energy per MAC and per byte read (so no extra power term per lane, which would count the work twice).
 */
export function deviceFromProfile(profile: DeviceProfileLike, dtype = 'float32'): DeviceSpec {
	const byDtype: Record<string, number> = {};
	for (const [k, figure] of Object.entries(profile.throughputMacsPerSecond)) byDtype[k] = figure.value;
	return {
		id: profile.id,
		storageBandwidthBytesPerSecond: profile.storage.readBandwidthBytesPerSecond.value,
		storageLatencyMs: profile.storage.latencySeconds.value * 1000,
		macsPerSecond: byDtype[dtype] ?? byDtype.float32,
		macsPerSecondByDtype: byDtype,
		idlePowerWatts: profile.staticPowerWatts.value,
		energyPerMacPicojoules: (profile.energyPerMacPicojoules[dtype] ?? profile.energyPerMacPicojoules.float32)?.value ?? 0,
		energyPerStorageBytePicojoules: profile.storage.energyPerBytePicojoules.value
	};
}
