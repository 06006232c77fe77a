/**
 * Figures shared by several profiles, each with its source (RESEARCH.md lists them) or derivation.
 * Energy figures are core-only at 45 nm (Horowitz, ISSCC 2014); no process scaling is applied.
 */
import type { ComputeDtype, Figure } from './types';

const HOROWITZ = 'Horowitz, "Computing\'s energy problem", ISSCC 2014 (45 nm)';

/** One MAC = one multiply + one add at the accumulator's width. */
export const energyPerMacPicojoules: Record<ComputeDtype, Figure> = {
	float32: { value: 3.7 + 0.9, derivation: `fp32 mult 3.7 pJ + fp32 add 0.9 pJ (${HOROWITZ})` },
	float16: { value: 1.1 + 0.4, derivation: `fp16 mult 1.1 pJ + fp16 add 0.4 pJ (${HOROWITZ})` },
	int8: { value: 0.2 + 0.1, derivation: `int8 mult 0.2 pJ + int32 accumulate add 0.1 pJ (${HOROWITZ})` }
};

/** fp16 MACs on a core without fp16 arithmetic run as fp32 after conversion: energy as fp32. */
export const energyPerMacNoFp16: Record<ComputeDtype, Figure> = {
	...energyPerMacPicojoules,
	float16: { value: 3.7 + 0.9, derivation: `no fp16 arithmetic: converted and computed as fp32, 3.7 + 0.9 pJ (${HOROWITZ})` }
};

export const sramEnergyPerBytePicojoules: Figure = {
	value: 10 / 8,
	derivation: `64-bit read from an 8 KB SRAM 10 pJ / 8 bytes (${HOROWITZ}); Han et al. NeurIPS 2015: 32-bit SRAM 5 pJ / 4 B agrees`
};

export const dramEnergyPerBytePicojoules: Figure = {
	value: 640 / 4,
	derivation: '32-bit DRAM access 640 pJ / 4 bytes (Han et al., NeurIPS 2015, fig. 1); Horowitz gives 1.3–2.6 nJ per 64 bits'
};

/** No per-byte figure for external PSRAM or SPI flash was found: assumed as costly as DRAM. */
export const offChipEnergyPerBytePicojoules: Figure = {
	value: 640 / 4,
	derivation: 'assumption: an off-chip PSRAM/flash/SD byte costs as much as a DRAM byte, 640 pJ / 4 B (Han et al., NeurIPS 2015)'
};

/**
 * Effective/theoretical DRAM bandwidth measured on the Pi 4: STREAM copy ≈ 5.5 GB/s (sci-pi.org.uk) over
 * LPDDR4-3200 × 32 bit = 12.8 GB/s. Used to derate other boards' theoretical DRAM bandwidth.
 */
export const dramEfficiency = 5.5 / 12.8;

export const KIB = 1024;
export const MIB = 1024 * 1024;
export const GIB = 1024 * 1024 * 1024;
