/**
 * A discrete-event simulator of loading policies on K identical devices (K = `options.devices`, default 1).
 * Each device has one storage lane (loads serialize), one compute lane (layers serialize), its own RAM under
 * the ceiling and its own weight cache (device-run.ts). Events are task arrivals and model-run completions.
 * No randomness inside: the same workload gives the same result (the seed lives in `expandWorkload`).
 *
 * Dispatch: the device whose compute lane frees up first takes the scheduler's pick among the stages ready at
 * that moment (a task's next stage is ready when its previous stage ends, on whichever device). When several
 * devices are free then, the stage goes to the one whose cache holds the most of the model's weight bytes, then
 * the lowest-numbered. A stage's input activation is assumed to reach another device at no cost.
 *
 * Memory model: weights from their load start until released (policy) and evicted (cache); activations as
 * layer i's output from its execution start until layer i+1 ends. Prefetches keep room for the model's peak
 * activation. A load that cannot fit even after every release is a swap: the overflow is read back from
 * storage before the layer runs (the penalty), and the run reports it.
 */
import { DeviceRun, RunLog } from './device-run';
import { takeNext, type ReadyStage } from './scheduler';
import type { DeviceSpec, ModelSpec, SimulationOptions, SimulationResult, TaskResult, TaskSpec } from './types';

export { layerComputeMs, peakActivationBytes, readMs } from './device-run';

/** A workload ready to simulate: the models it names and its expanded tasks. */
export interface Workload {
	models: ModelSpec[];
	tasks: TaskSpec[];
}

/** Name of device `index` (from 0) of `count`: the profile's id alone, or `id/1`, `id/2`, … for several. */
export function deviceName(device: DeviceSpec, index: number, count: number): string {
	return count === 1 ? device.id : `${device.id}/${index + 1}`;
}

/** The device free first (lowest index on ties). */
function firstFree(devices: DeviceRun[]): number {
	let best = 0;
	for (let k = 1; k < devices.length; k++) if (devices[k].freeMs < devices[best].freeMs) best = k;
	return best;
}

/** Among the devices free at `nowMs`, the one caching most of `model` (lowest index on ties). */
function chooseDevice(devices: DeviceRun[], nowMs: number, model: ModelSpec, fallback: number): number {
	if (devices.length === 1) return fallback;
	let best = -1;
	let bestBytes = -1;
	for (let k = 0; k < devices.length; k++) {
		if (devices[k].freeMs > nowMs) continue;
		const bytes = devices[k].cachedBytes(model);
		if (bytes > bestBytes) [best, bestBytes] = [k, bytes];
	}
	return best;
}

/**
 * Simulates `workload` on `options.devices` copies of `device`. Tasks run their stages in order; the scheduler
 * picks among ready stages whenever a compute lane frees up. Throws on a stage naming an unknown model or a
 * device count that is not a positive integer.
 */
export function simulate(workload: Workload, device: DeviceSpec, options: SimulationOptions): SimulationResult {
	const count = options.devices ?? 1;
	if (!Number.isInteger(count) || count < 1) throw new Error(`devices must be a positive integer (got ${count})`);
	const models = new Map(workload.models.map((m) => [m.id, m]));
	const log = new RunLog(device, options);
	const devices = Array.from({ length: count }, (_, k) => new DeviceRun(deviceName(device, k, count), log));

	const tasks: TaskResult[] = [];
	const ready: ReadyStage[] = [];
	const started = new Map<string, number>();
	let next = 0;
	while (next < workload.tasks.length || ready.length > 0) {
		const free = firstFree(devices);
		let now = devices[free].freeMs;
		// Nothing ready when this device frees up: wait for the next arrival or stage.
		if (!ready.some((r) => r.readyMs <= now)) {
			let soonest = next < workload.tasks.length ? workload.tasks[next].arrivalMs : Infinity;
			for (const r of ready) soonest = Math.min(soonest, r.readyMs);
			now = Math.max(now, soonest);
		}
		while (next < workload.tasks.length && workload.tasks[next].arrivalMs <= now) {
			const task = workload.tasks[next];
			ready.push({ task, order: next++, stage: 0, readyMs: task.arrivalMs });
		}
		const pick = takeNext(ready, options.scheduler, now) as ReadyStage;
		const { task, stage } = pick;
		const model = models.get(task.stages[stage]);
		if (!model) throw new Error(`task ${task.id}: stage ${stage} names unknown model "${task.stages[stage]}"`);
		if (!started.has(task.id)) started.set(task.id, now);
		const end = devices[chooseDevice(devices, now, model, free)].run(task, model, now);
		if (stage + 1 < task.stages.length) {
			ready.push({ ...pick, stage: stage + 1, readyMs: end });
		} else {
			tasks.push({
				id: task.id,
				stream: task.stream,
				arrivalMs: task.arrivalMs,
				startMs: started.get(task.id) as number,
				finishMs: end,
				latencyMs: end - task.arrivalMs,
				...(task.deadlineMs !== undefined ? { deadlineMs: task.deadlineMs } : {}),
				missedDeadline: task.deadlineMs !== undefined && end > task.deadlineMs,
				energyMillijoules: log.taskEnergy.get(task.id) ?? 0
			});
		}
	}

	const endMs = tasks.reduce((m, t) => Math.max(m, t.finishMs), 0);
	// Every board idles until the last task finishes.
	let energy = (device.idlePowerWatts ?? 0) * endMs * count;
	for (const e of log.taskEnergy.values()) energy += e;
	const lookups = log.stats.hits + log.stats.misses;
	const memoryByDevice = devices.map((d) => d.res.memoryCurve());
	return {
		device: device.id,
		devices: devices.map((_, k) => deviceName(device, k, count)),
		ceilingBytes: options.ceilingBytes,
		intervals: log.intervals,
		memory: memoryByDevice[0],
		memoryByDevice,
		tasks,
		swaps: log.swaps,
		cache: { ...log.stats, hitRate: lookups > 0 ? log.stats.hits / lookups : 0, evictions: devices.reduce((s, d) => s + d.res.evictions, 0) },
		energyMillijoules: energy
	};
}
