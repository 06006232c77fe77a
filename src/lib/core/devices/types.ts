/**
 * Device profiles are data: every number carries where it came from, either a `source` (a datasheet,
 * a paper, a benchmark — see RESEARCH.md) or a `derivation` (the formula and the assumptions behind it).
 */

/** A number with its provenance. The unit is in the name of the field that holds it. */
export interface Figure {
	value: number;
	/** Where the number was read (RESEARCH.md names the original). */
	source?: string;
	/** How it was computed, with every assumption stated. */
	derivation?: string;
}

/** Dtypes the estimates distinguish; others are costed as the nearest (see `costDtype`). */
export type ComputeDtype = 'float32' | 'float16' | 'int8';

/** One level of memory: on-chip SRAM, PSRAM, DRAM, or flash read in place. */
export interface MemoryTier {
	id: string;
	name: string;
	/** Flash or ROM: holds weights when the device executes them in place, never activations. */
	readOnly: boolean;
	capacityBytes: Figure;
	bandwidthBytesPerSecond: Figure;
	energyPerBytePicojoules: Figure;
}

/** Where the model file lives before it is loaded (SD card, flash, network cache). */
export interface Storage {
	name: string;
	readBandwidthBytesPerSecond: Figure;
	/** Time to the first byte of a read, seconds. */
	latencySeconds: Figure;
	energyPerBytePicojoules: Figure;
}

/** The inference runtime assumed on the device, for its RAM overhead and where it puts model I/O. */
export interface RuntimeProfile {
	name: string;
	overheadBytes: Figure;
	/** True when the runtime places model inputs and outputs inside the activation arena (TFLM does). */
	ioInArena: boolean;
}

export interface DeviceProfile {
	id: string;
	name: string;
	family: 'mcu' | 'sbc' | 'gpu-sbc' | 'browser';
	/** Read-write tiers, fastest first; activations fill them in this order. Plus read-only flash, if any. */
	memoryTiers: MemoryTier[];
	storage: Storage;
	/** Weights are read from flash where they lie (no RAM copy): Cortex-M and ESP32 flash is memory-mapped. */
	executeInPlace: { value: boolean; source?: string; derivation?: string };
	throughputMacsPerSecond: Record<ComputeDtype, Figure>;
	energyPerMacPicojoules: Record<ComputeDtype, Figure>;
	/** Board power while idle (drawn for the whole inference time), watts. */
	staticPowerWatts: Figure;
	/** Board power under full load, watts: an upper bound to check the energy model against. */
	activePowerWatts: Figure;
	runtime: RuntimeProfile;
}
