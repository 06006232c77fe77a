/**
 * Microcontroller profiles: weights execute in place from memory-mapped flash, activations live in
 * SRAM (and PSRAM on the ESP32-S3), TensorFlow Lite Micro is the runtime.
 */
import {
	KIB,
	MIB,
	energyPerMacNoFp16,
	offChipEnergyPerBytePicojoules,
	sramEnergyPerBytePicojoules
} from './constants';
import type { DeviceProfile, RuntimeProfile } from './types';

const XIP = { value: true, source: 'RESEARCH.md, Cortex-M class: flash is executed in place (weights need no RAM)' };

const TFLM: RuntimeProfile = {
	name: 'TensorFlow Lite Micro',
	ioInArena: true,
	overheadBytes: {
		value: 4 * KIB,
		derivation:
			'assumption: persistent interpreter records ≈ 40 B per tensor (TfLiteEvalTensor + node/registration) × ≈ 100 tensors ≈ 4 KB; measure with arena_used_bytes() on a board'
	}
};

/** Cortex-M MAC rates: clock × MACs per cycle × an efficiency factor; the factors are assumptions. */
function cortexM(clockHz: number, clockSource: string, int8Efficiency: number, fp32Efficiency: number) {
	const int8 = clockHz * 2 * int8Efficiency;
	const fp32 = clockHz * 1 * fp32Efficiency;
	return {
		int8: { value: int8, derivation: `${clockHz / 1e6} MHz (${clockSource}) × 2 MAC/cycle (SMLAD dual 16-bit MAC, as CMSIS-NN uses) × efficiency ${int8Efficiency} (assumption)` },
		float32: { value: fp32, derivation: `${clockHz / 1e6} MHz (${clockSource}) × 1 MAC/cycle (single-precision FPU) × efficiency ${fp32Efficiency} (assumption)` },
		float16: { value: fp32, derivation: 'no fp16 arithmetic: converted and computed as fp32 (same rate as float32)' }
	};
}

export const cortexM4: DeviceProfile = {
	id: 'cortex-m4',
	name: 'Cortex-M4 class (256 KB SRAM, 1 MB flash)',
	family: 'mcu',
	memoryTiers: [
		{
			id: 'sram', name: 'SRAM', readOnly: false,
			capacityBytes: { value: 256 * KIB, source: 'issue 4 class definition (e.g. STM32L4R5 has 640 KB, RESEARCH.md)' },
			bandwidthBytesPerSecond: { value: 120e6 * 4, derivation: '120 MHz (STM32L4R5, RESEARCH.md) × 4 B per cycle (one 32-bit bus access)' },
			energyPerBytePicojoules: sramEnergyPerBytePicojoules
		},
		{
			id: 'flash', name: 'Internal flash', readOnly: true,
			capacityBytes: { value: 1 * MIB, source: 'issue 4 class definition' },
			bandwidthBytesPerSecond: { value: 120e6 * 4 * 0.5, derivation: '120 MHz × 4 B per cycle × 0.5 (assumption: flash wait states half hidden by the prefetch/ART cache)' },
			energyPerBytePicojoules: offChipEnergyPerBytePicojoules
		}
	],
	storage: {
		name: 'Internal flash',
		readBandwidthBytesPerSecond: { value: 120e6 * 4 * 0.5, derivation: 'same as the flash tier: the model is already in place' },
		latencySeconds: { value: 5 / 120e6, derivation: 'assumption: 5 wait states at 120 MHz' },
		energyPerBytePicojoules: offChipEnergyPerBytePicojoules
	},
	executeInPlace: XIP,
	throughputMacsPerSecond: cortexM(120e6, 'STM32L4R5, RESEARCH.md', 0.5, 0.3),
	energyPerMacPicojoules: energyPerMacNoFp16,
	staticPowerWatts: { value: 0.01, derivation: 'assumption: 25% of the ≈ 40 mW drawn running inference (STM32L4R5, RESEARCH.md)' },
	activePowerWatts: { value: 0.04, source: 'RESEARCH.md, Cortex-M class: STM32L4R5 ≈ 40 mW running inference' },
	runtime: TFLM
};

export const cortexM7: DeviceProfile = {
	...cortexM4,
	id: 'cortex-m7',
	name: 'Cortex-M7 class (512 KB SRAM, 2 MB flash)',
	memoryTiers: [
		{
			...cortexM4.memoryTiers[0],
			capacityBytes: { value: 512 * KIB, source: 'issue 4 class definition (e.g. STM32H7A3 has 1.4 MB, RESEARCH.md)' },
			bandwidthBytesPerSecond: { value: 280e6 * 8, derivation: '280 MHz (STM32H7A3, RESEARCH.md) × 8 B per cycle (64-bit AXI / TCM)' }
		},
		{
			...cortexM4.memoryTiers[1],
			capacityBytes: { value: 2 * MIB, source: 'issue 4 class definition' },
			bandwidthBytesPerSecond: { value: 280e6 * 8 * 0.25, derivation: '280 MHz × 8 B per cycle × 0.25 (assumption: flash wait states, partly hidden by the L1 cache)' }
		}
	],
	storage: {
		...cortexM4.storage,
		readBandwidthBytesPerSecond: { value: 280e6 * 8 * 0.25, derivation: 'same as the flash tier: the model is already in place' },
		latencySeconds: { value: 6 / 280e6, derivation: 'assumption: 6 wait states at 280 MHz' }
	},
	throughputMacsPerSecond: cortexM(280e6, 'STM32H7A3, RESEARCH.md', 0.6, 0.5),
	staticPowerWatts: { value: 0.122 * 0.25, derivation: 'assumption: 25% of the 122 mW low end running (STM32H7A3, RESEARCH.md)' },
	activePowerWatts: { value: 0.166, source: 'RESEARCH.md, Cortex-M class: STM32H7A3 122–166 mW (high end)' }
};

/** Person detection (MobileNetV1-0.25, 96×96): 14 M MACs at 128×128 (Howard et al. 2017, table 7) × (96/128)². */
const PERSON_DETECTION_MACS = 14e6 * (96 / 128) ** 2;

export const esp32s3: DeviceProfile = {
	id: 'esp32-s3',
	name: 'ESP32-S3 with 8 MB PSRAM',
	family: 'mcu',
	memoryTiers: [
		{
			id: 'sram', name: 'Internal SRAM', readOnly: false,
			capacityBytes: { value: 512 * KIB, source: 'RESEARCH.md, ESP32-S3: 512 KB SRAM' },
			bandwidthBytesPerSecond: { value: 240e6 * 4, derivation: '240 MHz (RESEARCH.md) × 4 B per cycle' },
			energyPerBytePicojoules: sramEnergyPerBytePicojoules
		},
		{
			id: 'psram', name: 'Octal PSRAM', readOnly: false,
			capacityBytes: { value: 8 * MIB, source: 'issue 4: ESP32-S3 with 8 MB PSRAM' },
			bandwidthBytesPerSecond: { value: 160e6, source: 'RESEARCH.md: octal DTR PSRAM @ 80 MHz ≈ 160 MB/s (clock × lanes, ESP-IDF docs)' },
			energyPerBytePicojoules: offChipEnergyPerBytePicojoules
		},
		{
			id: 'flash', name: 'Quad-SPI flash', readOnly: true,
			capacityBytes: { value: 8 * MIB, derivation: 'assumption: 8 MB flash module (common on ESP32-S3 boards)' },
			bandwidthBytesPerSecond: { value: 40e6, source: 'RESEARCH.md: quad-SPI flash @ 80 MHz ≈ 40 MB/s' },
			energyPerBytePicojoules: offChipEnergyPerBytePicojoules
		}
	],
	storage: {
		name: 'Quad-SPI flash',
		readBandwidthBytesPerSecond: { value: 40e6, source: 'RESEARCH.md: quad-SPI flash @ 80 MHz ≈ 40 MB/s' },
		latencySeconds: { value: 1e-6, derivation: 'assumption: ≈ 1 µs for a SPI command + address + dummy cycles at 80 MHz' },
		energyPerBytePicojoules: offChipEnergyPerBytePicojoules
	},
	executeInPlace: { value: true, derivation: 'flash is memory-mapped through the cache (ESP-IDF), so TFLM reads weights in place' },
	throughputMacsPerSecond: {
		int8: { value: PERSON_DETECTION_MACS / 0.054, derivation: '7.9 M MACs (MobileNetV1-0.25 at 96×96: 14 M × (96/128)², Howard et al. 2017) / 54 ms with ESP-NN (esp-tflite-micro README)' },
		float32: { value: 240e6 * 0.3, derivation: '240 MHz × 1 MAC/cycle (single-precision FPU) × efficiency 0.3 (assumption), one core' },
		float16: { value: 240e6 * 0.3, derivation: 'no fp16 arithmetic: computed as fp32 (same rate as float32)' }
	},
	energyPerMacPicojoules: energyPerMacNoFp16,
	staticPowerWatts: { value: 0.235 * 0.4, derivation: 'assumption: 40% of the ≈ 235 mW drawn running a TFLM model (RESEARCH.md), radios off' },
	activePowerWatts: { value: 0.235, source: 'RESEARCH.md, ESP32-S3: ≈ 235 mW running a TFLM model (a user\'s measurement)' },
	runtime: TFLM
};
