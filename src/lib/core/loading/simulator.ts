/**
 * A discrete-event simulator of loading policies on one device: one storage lane (loads serialize), one compute
 * lane (layers serialize), RAM under a ceiling. Events are task arrivals and model-run completions; within a
 * run, each layer's load and execution are placed at the earliest time its policy, the lanes and the ceiling
 * allow. No randomness inside: the same workload gives the same result (the seed lives in `expandWorkload`).
 *
 * Memory model: weights from their load start until released (policy) and evicted (cache); activations as
 * layer i's output from its execution start until layer i+1 ends. Prefetches keep room for the model's peak
 * activation. A load that cannot fit even after every release is a swap: the overflow is read back from
 * storage before the layer runs (the penalty), and the run reports it.
 */
import { planPolicy, policyFor } from './policies';
import { Residency } from './residency';
import { takeNext, type ReadyStage } from './scheduler';
import type {
	DeviceSpec, Interval, LayerSpec, ModelSpec, SimulationOptions, SimulationResult, SwapEvent, TaskResult, TaskSpec
} from './types';

/** A workload ready to simulate: the models it names and its expanded tasks. */
export interface Workload {
	models: ModelSpec[];
	tasks: TaskSpec[];
}

/** Compute time of one layer on a device, in ms. */
export function layerComputeMs(layer: LayerSpec, device: DeviceSpec): number {
	const overhead = device.layerOverheadMs ?? 0;
	if (layer.computeMs !== undefined) return layer.computeMs + overhead;
	const rate = device.macsPerSecondByDtype?.[layer.dtype ?? 'float32'] ?? device.macsPerSecond;
	return ((layer.macs ?? 0) / rate) * 1000 + overhead;
}

/** Time to read `bytes` from storage as one request, in ms. */
export function readMs(bytes: number, device: DeviceSpec): number {
	return device.storageLatencyMs + (bytes / device.storageBandwidthBytesPerSecond) * 1000;
}

/** Largest activation footprint while any layer runs: its input plus its output. */
export function peakActivationBytes(model: ModelSpec): number {
	let input = model.inputBytes ?? 0;
	let peak = input;
	for (const layer of model.layers) {
		peak = Math.max(peak, input + layer.outputBytes);
		input = layer.outputBytes;
	}
	return peak;
}

/**
 * Simulates `workload` on `device`. Tasks run their stages in order; the scheduler picks among ready stages
 * whenever the compute lane frees up. Throws on a stage naming an unknown model.
 */
export function simulate(workload: Workload, device: DeviceSpec, options: SimulationOptions): SimulationResult {
	const models = new Map(workload.models.map((m) => [m.id, m]));
	const res = new Residency(options.ceilingBytes, options.cache, (size) => readMs(size, device));
	const intervals: Interval[] = [];
	const swaps: SwapEvent[] = [];
	const everLoaded = new Set<string>();
	const stats = { hits: 0, misses: 0, bytesReloaded: 0 };
	const taskEnergy = new Map<string, number>();
	let storageFreeMs = 0;

	const energyOf = (iv: Interval, macs: number): number =>
		iv.lane === 'storage'
			? (device.storagePowerWatts ?? 0) * (iv.endMs - iv.startMs) + iv.bytes * (device.energyPerStorageBytePicojoules ?? 0) * 1e-9
			: (device.computePowerWatts ?? 0) * (iv.endMs - iv.startMs) + macs * (device.energyPerMacPicojoules ?? 0) * 1e-9;
	const record = (iv: Interval, macs = 0): void => {
		intervals.push(iv);
		taskEnergy.set(iv.taskId, (taskEnergy.get(iv.taskId) ?? 0) + energyOf(iv, macs));
	};

	// Per model, computed once: the policy's rules, the peak activation and the cache keys of its layers.
	const prepared = new Map<string, { plan: ReturnType<typeof planPolicy>; peak: number; keys: string[] }>();
	const prepare = (model: ModelSpec) => {
		let p = prepared.get(model.id);
		if (!p) {
			p = { plan: planPolicy(policyFor(options.policy, model.id), model), peak: peakActivationBytes(model), keys: model.layers.map((_, j) => `${model.id}/${j}`) };
			prepared.set(model.id, p);
		}
		return p;
	};

	/** Runs one model for a task from `startMs`; returns when its last layer ends. */
	function runModel(task: TaskSpec, model: ModelSpec, startMs: number): number {
		const { plan, peak, keys } = prepare(model);
		const { rules, executeAfterAllLoads } = plan;
		const reserve = Math.min(peak, options.ceilingBytes);
		const n = model.layers.length;
		const readyMs = new Array<number>(n).fill(startMs);
		const overflow = new Array<number>(n).fill(0);
		const execEndMs = new Array<number>(n).fill(startMs);
		// A literal of one fixed shape (no object spread): V8 keeps 10⁵ of these compact and fast.
		const interval = (lane: Interval['lane'], kind: Interval['kind'], layer: number, startMs: number, endMs: number, bytes: number): Interval => ({
			device: device.id, lane, kind, taskId: task.id, model: model.id, layer, layerName: model.layers[layer].name, startMs, endMs, bytes
		});

		res.settle(startMs);
		const activationOverflow = res.makeRoom(startMs, reserve) + Math.max(0, peak - reserve);
		if (activationOverflow > 0 && n > 0) overflow[0] += activationOverflow;
		res.change(startMs, model.inputBytes ?? 0);

		const load = (j: number): void => {
			const layer = model.layers[j];
			const key = keys[j];
			if (layer.weightBytes <= 0) return;
			res.cache.recordUse(key);
			const rule = rules[j];
			const wait = rule.waitForExecutionOf >= 0 ? execEndMs[rule.waitForExecutionOf] : startMs;
			if (res.cache.take(key)) {
				stats.hits++;
			} else {
				stats.misses++;
				if (everLoaded.has(key)) stats.bytesReloaded += layer.weightBytes;
				everLoaded.add(key);
				const fit = res.earliestFit(Math.max(storageFreeMs, wait, startMs), layer.weightBytes + reserve);
				res.settle(fit.timeMs);
				const over = Math.min(layer.weightBytes, res.makeRoom(fit.timeMs, layer.weightBytes + reserve));
				overflow[j] += over;
				const endMs = fit.timeMs + readMs(layer.weightBytes, device);
				record(interval('storage', 'load', j, fit.timeMs, endMs, layer.weightBytes));
				res.change(fit.timeMs, layer.weightBytes);
				storageFreeMs = endMs;
				readyMs[j] = endMs;
			}
			if (rule.holdUntilRunEnd) res.holdUntilRunEnd(key, layer.weightBytes);
		};

		const execute = (j: number, notBeforeMs: number): void => {
			const layer = model.layers[j];
			let start = Math.max(notBeforeMs, readyMs[j], j > 0 ? execEndMs[j - 1] : startMs);
			if (overflow[j] > 0) {
				const swapStart = Math.max(storageFreeMs, readyMs[j]);
				const swapEnd = swapStart + readMs(overflow[j], device);
				record(interval('storage', 'swap', j, swapStart, swapEnd, overflow[j]));
				swaps.push({ timeMs: swapStart, taskId: task.id, model: model.id, layer: j, overflowBytes: overflow[j], penaltyMs: swapEnd - swapStart });
				storageFreeMs = swapEnd;
				start = Math.max(start, swapEnd);
			}
			const end = start + layerComputeMs(layer, device);
			record(interval('compute', 'execute', j, start, end, 0), layer.macs ?? 0);
			res.change(start, layer.outputBytes);
			res.change(end, -(j > 0 ? model.layers[j - 1].outputBytes : (model.inputBytes ?? 0)));
			execEndMs[j] = end;
			if (!rules[j].holdUntilRunEnd && layer.weightBytes > 0) res.holdUntil(keys[j], layer.weightBytes, end);
		};

		if (executeAfterAllLoads) {
			for (let j = 0; j < n; j++) load(j);
			const allLoaded = Math.max(startMs, ...readyMs);
			for (let j = 0; j < n; j++) execute(j, allLoaded);
		} else {
			for (let j = 0; j < n; j++) {
				load(j);
				execute(j, startMs);
			}
		}
		const endMs = n > 0 ? execEndMs[n - 1] : startMs;
		res.change(endMs, -(n > 0 ? model.layers[n - 1].outputBytes : (model.inputBytes ?? 0)));
		res.endRun(endMs);
		return endMs;
	}

	const tasks: TaskResult[] = [];
	const ready: ReadyStage[] = [];
	const started = new Map<string, number>();
	let next = 0;
	let now = 0;
	while (next < workload.tasks.length || ready.length > 0) {
		if (ready.length === 0) now = Math.max(now, workload.tasks[next].arrivalMs);
		while (next < workload.tasks.length && workload.tasks[next].arrivalMs <= now) {
			const task = workload.tasks[next];
			ready.push({ task, order: next++, stage: 0, readyMs: task.arrivalMs });
		}
		const pick = takeNext(ready, options.scheduler) as ReadyStage;
		const { task, stage } = pick;
		const model = models.get(task.stages[stage]);
		if (!model) throw new Error(`task ${task.id}: stage ${stage} names unknown model "${task.stages[stage]}"`);
		if (!started.has(task.id)) started.set(task.id, now);
		now = runModel(task, model, now);
		if (stage + 1 < task.stages.length) {
			ready.push({ ...pick, stage: stage + 1, readyMs: now });
		} else {
			tasks.push({
				id: task.id,
				stream: task.stream,
				arrivalMs: task.arrivalMs,
				startMs: started.get(task.id) as number,
				finishMs: now,
				latencyMs: now - task.arrivalMs,
				...(task.deadlineMs !== undefined ? { deadlineMs: task.deadlineMs } : {}),
				missedDeadline: task.deadlineMs !== undefined && now > task.deadlineMs,
				energyMillijoules: taskEnergy.get(task.id) ?? 0
			});
		}
	}

	const endMs = tasks.reduce((m, t) => Math.max(m, t.finishMs), 0);
	let energy = (device.idlePowerWatts ?? 0) * endMs;
	for (const e of taskEnergy.values()) energy += e;
	const lookups = stats.hits + stats.misses;
	return {
		device: device.id,
		ceilingBytes: options.ceilingBytes,
		intervals,
		memory: res.memoryCurve(),
		tasks,
		swaps,
		cache: { ...stats, hitRate: lookups > 0 ? stats.hits / lookups : 0, evictions: res.evictions },
		energyMillijoules: energy
	};
}
