/**
 * The figures of the policy comparison table, derived from a simulation result. With several devices, times,
 * energy and bytes read cover all of them; peak memory is per device (the highest, and each one).
 */
import type { SimulationResult } from './types';

export interface LoadingMetrics {
	/** From time 0 to the last task's finish. */
	makespanMs: number;
	meanLatencyMs: number;
	/** Nearest-rank 95th percentile of task latency. */
	p95LatencyMs: number;
	/** The highest any one device reached (each device has its own RAM under the ceiling). */
	peakMemoryBytes: number;
	/** Per device, in the order of the result's `devices`. */
	peakMemoryBytesByDevice: number[];
	energyMillijoules: number;
	/** Weights loaded plus swap reads. */
	bytesReadFromStorage: number;
	cacheHitRate: number;
	bytesReloaded: number;
	deadlineMisses: number;
	swapCount: number;
	/** Sum of execution time over every device: equal across policies for the same workload and device. */
	computeBusyMs: number;
	storageBusyMs: number;
}

/** Nearest-rank percentile (p in 0..100) of `values`; 0 for none. */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1];
}

export function summarize(result: SimulationResult): LoadingMetrics {
	const latencies = result.tasks.map((t) => t.latencyMs);
	let computeBusyMs = 0;
	let storageBusyMs = 0;
	let bytesRead = 0;
	for (const iv of result.intervals) {
		if (iv.lane === 'compute') computeBusyMs += iv.endMs - iv.startMs;
		else {
			storageBusyMs += iv.endMs - iv.startMs;
			bytesRead += iv.bytes;
		}
	}
	const peaks = result.memoryByDevice.map((curve) => curve.reduce((m, p) => Math.max(m, p.bytes), 0));
	return {
		makespanMs: result.tasks.reduce((m, t) => Math.max(m, t.finishMs), 0),
		meanLatencyMs: latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : 0,
		p95LatencyMs: percentile(latencies, 95),
		peakMemoryBytes: Math.max(0, ...peaks),
		peakMemoryBytesByDevice: peaks,
		energyMillijoules: result.energyMillijoules,
		bytesReadFromStorage: bytesRead,
		cacheHitRate: result.cache.hitRate,
		bytesReloaded: result.cache.bytesReloaded,
		deadlineMisses: result.tasks.filter((t) => t.missedDeadline).length,
		swapCount: result.swaps.length,
		computeBusyMs,
		storageBusyMs
	};
}
