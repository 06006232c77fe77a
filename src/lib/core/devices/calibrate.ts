/**
 * "This browser": a profile whose compute rate comes from a short microbenchmark the page runs (a
 * float32 matrix multiply, timed). The core never measures; it turns the measured figure into a profile.
 */
import { GIB, MIB, dramEnergyPerBytePicojoules, energyPerMacNoFp16, offChipEnergyPerBytePicojoules } from './constants';
import type { DeviceProfile } from './types';

/** What the page measured: MACs done and the time taken, plus the capabilities in effect. */
export interface BrowserMeasurement {
	macs: number;
	elapsedSeconds: number;
	/** e.g. 'wasm simd, 4 threads, isolated' — stored with the figure so a shared link can explain it. */
	capabilities: string;
}

/** Before calibration: TF.js WASM+SIMD ran MobileNetV2 (≈ 300 M MACs) in 30.2 ms ≈ 10 GMAC/s. */
export const UNCALIBRATED_MACS_PER_SECOND = 300e6 / 0.0302;

/**
 * The "this browser" profile. `float32` = measured MACs / seconds (or the TF.js README figure before a
 * measurement); float16 and int8 are costed at the same rate, since WASM has no fp16 arithmetic and int8
 * is not reliably faster on WASM (RESEARCH.md: onnxruntime issue 21535, XNNPACK issue 1696).
 * @throws Error when the measurement is not a positive MAC count over a positive time.
 */
export function browserProfile(measurement?: BrowserMeasurement): DeviceProfile {
	if (measurement && !(measurement.macs > 0 && measurement.elapsedSeconds > 0))
		throw new Error(`browser calibration: ${measurement.macs} MACs in ${measurement.elapsedSeconds} s is not a measurement`);
	const rate = measurement
		? { value: measurement.macs / measurement.elapsedSeconds, derivation: `measured: ${measurement.macs} MACs / ${Number(measurement.elapsedSeconds.toPrecision(4))} s (${measurement.capabilities})` }
		: { value: UNCALIBRATED_MACS_PER_SECOND, derivation: 'not yet calibrated: MobileNetV2 ≈ 300 M MACs / 30.2 ms, TF.js WASM+SIMD on a 2019 MacBook Pro (TF.js WASM backend README)' };
	return {
		id: 'browser',
		name: 'This browser',
		family: 'browser',
		memoryTiers: [
			{
				id: 'wasm-heap', name: 'WASM heap', readOnly: false,
				capacityBytes: { value: 4 * GIB, source: 'RESEARCH.md: the 4 GB wasm32 ceiling (onnxruntime issue 10957)' },
				bandwidthBytesPerSecond: { value: 5.5e9, derivation: 'assumption: the Pi 4\'s STREAM copy 5.5 GB/s (RESEARCH.md) as a floor for a desktop; not measured' },
				energyPerBytePicojoules: dramEnergyPerBytePicojoules
			}
		],
		storage: {
			name: 'Cache API / network',
			readBandwidthBytesPerSecond: { value: 100e6, derivation: 'assumption: ≈ 100 MB/s reading a cached model; a cold network fetch is slower' },
			latencySeconds: { value: 5e-3, derivation: 'assumption: ≈ 5 ms to open a cached response' },
			energyPerBytePicojoules: offChipEnergyPerBytePicojoules
		},
		executeInPlace: { value: false, derivation: 'the runtime copies weights into the WASM heap' },
		throughputMacsPerSecond: { float32: rate, float16: { ...rate }, int8: { ...rate } },
		energyPerMacPicojoules: energyPerMacNoFp16,
		staticPowerWatts: { value: 5, derivation: 'assumption: a laptop\'s idle package + display power, ≈ 5 W; not measured' },
		activePowerWatts: { value: 30, derivation: 'assumption: a laptop under full CPU load, ≈ 30 W; not measured' },
		runtime: {
			name: 'onnxruntime-web',
			ioInArena: false,
			overheadBytes: { value: 300 * MIB, source: 'RESEARCH.md: ≈ 300 MB held by onnxruntime-web after creating a session (onnxruntime issue 18165)' }
		}
	};
}
