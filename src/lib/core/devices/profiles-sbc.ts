/**
 * Linux single-board computers: weights are loaded from a microSD card into DRAM, a native runtime
 * (TFLite / ONNX Runtime) runs on the CPU cores (the GPU on the Jetson Nano).
 */
import {
	GIB,
	MIB,
	dramEfficiency,
	dramEnergyPerBytePicojoules,
	energyPerMacNoFp16,
	energyPerMacPicojoules,
	offChipEnergyPerBytePicojoules
} from './constants';
import type { DeviceProfile, Figure, RuntimeProfile } from './types';

const NATIVE: RuntimeProfile = {
	name: 'native runtime (TFLite / ONNX Runtime)',
	ioInArena: false,
	overheadBytes: { value: 20 * MIB, derivation: 'assumption: ≈ 20 MB for the runtime\'s code, allocator and session state; measure RSS before/after loading a model' }
};

const NOT_XIP = { value: false, derivation: 'storage is a block device (microSD): weights must be copied into DRAM' };

/** Cortex-A NEON rates: clock × cores × MACs per cycle per core × efficiency (an assumption). */
function neon(clockHz: number, cores: number, fp32PerCycle: number, int8PerCycle: number, efficiency: number, what: string): Record<'float32' | 'float16' | 'int8', Figure> {
	const base = `${clockHz / 1e9} GHz × ${cores} cores (${what}, RESEARCH.md)`;
	return {
		float32: { value: clockHz * cores * fp32PerCycle * efficiency, derivation: `${base} × ${fp32PerCycle} fp32 MAC/cycle (NEON FMA) × efficiency ${efficiency} (assumption)` },
		float16: { value: clockHz * cores * fp32PerCycle * efficiency, derivation: 'ARMv8.0 has no fp16 arithmetic: computed as fp32 (same rate as float32)' },
		int8: { value: clockHz * cores * int8PerCycle * efficiency, derivation: `${base} × ${int8PerCycle} int8 MAC/cycle (NEON widening multiply-accumulate, no dot-product instructions) × efficiency ${efficiency} (assumption)` }
	};
}

function microSd(bandwidth: Figure): DeviceProfile['storage'] {
	return {
		name: 'microSD card',
		readBandwidthBytesPerSecond: bandwidth,
		latencySeconds: { value: 1e-3, derivation: 'assumption: ≈ 1 ms to the first byte of a random read on a microSD card' },
		energyPerBytePicojoules: offChipEnergyPerBytePicojoules
	};
}

function dram(capacityBytes: Figure, bandwidth: Figure): DeviceProfile['memoryTiers'][number] {
	return { id: 'dram', name: 'DRAM', readOnly: false, capacityBytes, bandwidthBytesPerSecond: bandwidth, energyPerBytePicojoules: dramEnergyPerBytePicojoules };
}

const PI4_DRAM_BANDWIDTH: Figure = { value: 5.5e9, source: 'RESEARCH.md, Pi 4B: STREAM copy ≈ 5.5 GB/s (sci-pi.org.uk)' };
const LPDDR2_BANDWIDTH: Figure = {
	value: 900e6 * 4 * dramEfficiency,
	derivation: 'LPDDR2 at 900 MT/s (assumption: the Pi 3\'s 450 MHz DDR clock) × 4 B bus × 0.43 (the Pi 4\'s STREAM 5.5 / 12.8 GB/s)'
};

/** A Raspberry Pi board: DRAM, a microSD card, NEON cores, measured power, the native runtime. */
function raspberryPi(board: {
	id: string;
	name: string;
	ram: Figure;
	ramBandwidth: Figure;
	sdBandwidth: Figure;
	throughput: DeviceProfile['throughputMacsPerSecond'];
	idle: Figure;
	load: Figure;
}): DeviceProfile {
	return {
		id: board.id,
		name: board.name,
		family: 'sbc',
		memoryTiers: [dram(board.ram, board.ramBandwidth)],
		storage: microSd(board.sdBandwidth),
		executeInPlace: NOT_XIP,
		throughputMacsPerSecond: board.throughput,
		energyPerMacPicojoules: energyPerMacNoFp16,
		staticPowerWatts: board.idle,
		activePowerWatts: board.load,
		runtime: NATIVE
	};
}

/** The same board with another amount of DRAM: every other figure (and its source) is the board's. */
function withRam(board: DeviceProfile, id: string, name: string, capacityBytes: Figure): DeviceProfile {
	return { ...board, id, name, memoryTiers: board.memoryTiers.map((t) => (t.id === 'dram' ? { ...t, capacityBytes } : t)) };
}

export const pi4_1gb = raspberryPi({
	id: 'pi4-1gb',
	name: 'Raspberry Pi 4B (1 GB)',
	ram: { value: 1 * GIB, source: 'issue 4: Pi 4 with 1 GB' },
	ramBandwidth: PI4_DRAM_BANDWIDTH,
	sdBandwidth: { value: 50e6, source: 'RESEARCH.md, Pi 4B: microSD on a DDR50 bus, ≤ 50 MB/s (Raspberry Pi microSD spec)' },
	throughput: neon(1.5e9, 4, 8, 16, 0.25, 'Cortex-A72 ×4 @ 1.5 GHz'),
	idle: { value: 2.7, source: 'RESEARCH.md, Pi 4B: idle ≈ 2.7 W (pidramble.com)' },
	load: { value: 6.4, source: 'RESEARCH.md, Pi 4B: stress --cpu 4 ≈ 6.4 W (pidramble.com)' }
});

export const pi4_2gb = withRam(pi4_1gb, 'pi4-2gb', 'Raspberry Pi 4B (2 GB)', { value: 2 * GIB, source: 'issue 4: Pi 4 with 2 GB' });

export const pi3 = raspberryPi({
	id: 'pi3',
	name: 'Raspberry Pi 3B (1 GB)',
	ram: { value: 1 * GIB, source: 'RESEARCH.md, Pi 3B: 1 GB LPDDR2' },
	ramBandwidth: LPDDR2_BANDWIDTH,
	sdBandwidth: { value: 20e6, source: 'RESEARCH.md, Pi 3B: microSD ≈ 20 MB/s by default (Geerling)' },
	throughput: neon(1.2e9, 4, 4, 8, 0.25, 'Cortex-A53 ×4 @ 1.2 GHz'),
	idle: { value: 1.4, source: 'RESEARCH.md, Pi 3B: idle ≈ 1.4 W (pidramble)' },
	load: { value: 3.7, source: 'RESEARCH.md, Pi 3B: max ≈ 3.7 W (pidramble)' }
});

export const piZero2w: DeviceProfile = {
	...withRam(pi3, 'pi-zero-2w', 'Raspberry Pi Zero 2 W (512 MB)', { value: 512 * MIB, source: 'RESEARCH.md, Pi Zero 2 W: 512 MB' }),
	throughputMacsPerSecond: neon(1.0e9, 4, 4, 8, 0.25, 'Cortex-A53 ×4 @ 1 GHz'),
	staticPowerWatts: { value: 0.6, source: 'RESEARCH.md, Pi Zero 2 W: idle ≈ 0.6 W (CNX Software 2021-12-09)' },
	activePowerWatts: {
		value: 0.6 + (3.7 - 1.4) * (1.0 / 1.2),
		derivation: 'idle 0.6 W + the Pi 3B\'s load increment (3.7 − 1.4 W, same SoC cores) × clock ratio 1.0 / 1.2 GHz'
	}
};

/** Maxwell GPU: FLOPs = 2 × MACs; fp32 runs at half the paired-fp16 rate. */
export const jetsonNano: DeviceProfile = {
	id: 'jetson-nano',
	name: 'Jetson Nano (4 GB)',
	family: 'gpu-sbc',
	memoryTiers: [
		dram(
			{ value: 4 * GIB, source: 'RESEARCH.md, Jetson Nano: 4 GB LPDDR4' },
			{ value: 25.6e9 * dramEfficiency, derivation: '25.6 GB/s (NVIDIA spec) × 0.43 (the Pi 4\'s STREAM 5.5 / 12.8 GB/s)' }
		)
	],
	storage: microSd({ value: 50e6, derivation: 'assumption: the same ≤ 50 MB/s microSD figure as the Pi 4 (RESEARCH.md)' }),
	executeInPlace: NOT_XIP,
	throughputMacsPerSecond: {
		float16: { value: (472e9 / 2) * 0.3, derivation: '472 GFLOPS fp16 (NVIDIA spec) / 2 FLOP per MAC × efficiency 0.3 (assumption)' },
		float32: { value: (472e9 / 4) * 0.3, derivation: '472 GFLOPS fp16 / 2 (fp32 at half the paired-fp16 rate) / 2 FLOP per MAC × efficiency 0.3 (assumption)' },
		int8: { value: (472e9 / 2) * 0.3, derivation: 'Maxwell (sm_53) lacks int8 dot-product instructions: int8 runs at the fp16 rate (assumption)' }
	},
	energyPerMacPicojoules: energyPerMacPicojoules,
	staticPowerWatts: { value: 5 * 0.25, derivation: 'assumption: 25% of the 5 W power mode (NVIDIA spec)' },
	activePowerWatts: { value: 10, source: 'RESEARCH.md, Jetson Nano: 10 W power mode (NVIDIA spec)' },
	runtime: NATIVE
};
