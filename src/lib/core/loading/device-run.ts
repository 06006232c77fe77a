/**
 * One device of a simulation: its storage lane, its compute lane, its RAM under the ceiling and its own weight
 * cache. `run` places one model run layer by layer at the earliest time its policy, the two lanes and the
 * ceiling allow, and returns when the last layer ends. What every device shares (the intervals, swaps, cache
 * statistics and per-task energy) lives in a `RunLog`.
 */
import { planPolicy, policyFor } from './policies';
import { Residency } from './residency';
import type { DeviceSpec, Interval, LayerSpec, ModelSpec, SimulationOptions, SwapEvent, TaskSpec } from './types';

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

type Prepared = { plan: ReturnType<typeof planPolicy>; peak: number; keys: string[] };

/** What the devices of one simulation share: every interval and swap, cache counts, energy per task. */
export class RunLog {
	readonly intervals: Interval[] = [];
	readonly swaps: SwapEvent[] = [];
	readonly stats = { hits: 0, misses: 0, bytesReloaded: 0 };
	readonly taskEnergy = new Map<string, number>();
	/** Per model, computed once: the policy's rules, the peak activation and the cache keys of its layers. */
	private readonly prepared = new Map<string, Prepared>();

	constructor(
		readonly device: DeviceSpec,
		readonly options: SimulationOptions
	) {}

	prepare(model: ModelSpec): Prepared {
		let p = this.prepared.get(model.id);
		if (!p) {
			p = { plan: planPolicy(policyFor(this.options.policy, model.id), model), peak: peakActivationBytes(model), keys: model.layers.map((_, j) => `${model.id}/${j}`) };
			this.prepared.set(model.id, p);
		}
		return p;
	}

	record(iv: Interval, macs = 0): void {
		const d = this.device;
		this.intervals.push(iv);
		const energy =
			iv.lane === 'storage'
				? (d.storagePowerWatts ?? 0) * (iv.endMs - iv.startMs) + iv.bytes * (d.energyPerStorageBytePicojoules ?? 0) * 1e-9
				: (d.computePowerWatts ?? 0) * (iv.endMs - iv.startMs) + macs * (d.energyPerMacPicojoules ?? 0) * 1e-9;
		this.taskEnergy.set(iv.taskId, (this.taskEnergy.get(iv.taskId) ?? 0) + energy);
	}
}

export class DeviceRun {
	readonly res: Residency;
	/** When the compute lane is free for the next model run. */
	freeMs = 0;
	private storageFreeMs = 0;
	/** Layers this device has loaded before: loading one again counts as reloaded bytes. */
	private readonly everLoaded = new Set<string>();
	private readonly name: string;
	private readonly log: RunLog;

	/** `name` goes into every interval's `device` field. */
	constructor(name: string, log: RunLog) {
		this.name = name;
		this.log = log;
		this.res = new Residency(log.options.ceilingBytes, log.options.cache, (size) => readMs(size, log.device));
	}

	/** Weight bytes of `model` this device's cache holds now (a free device with more is preferred). */
	cachedBytes(model: ModelSpec): number {
		if (this.res.cache.count === 0) return 0;
		const { keys } = this.log.prepare(model);
		let bytes = 0;
		for (let j = 0; j < keys.length; j++) if (this.res.cache.has(keys[j])) bytes += model.layers[j].weightBytes;
		return bytes;
	}

	/** Runs one model for a task from `startMs`; returns when its last layer ends. */
	run(task: TaskSpec, model: ModelSpec, startMs: number): number {
		const { log, res } = this;
		const device = log.device;
		const { plan, peak, keys } = log.prepare(model);
		const { rules, executeAfterAllLoads } = plan;
		const reserve = Math.min(peak, log.options.ceilingBytes);
		const n = model.layers.length;
		const readyMs = new Array<number>(n).fill(startMs);
		const overflow = new Array<number>(n).fill(0);
		const execEndMs = new Array<number>(n).fill(startMs);
		const name = this.name;
		// A literal of one fixed shape (no object spread): V8 keeps 10⁵ of these compact and fast.
		const interval = (lane: Interval['lane'], kind: Interval['kind'], layer: number, startMs: number, endMs: number, bytes: number): Interval => ({
			device: name, lane, kind, taskId: task.id, model: model.id, layer, layerName: model.layers[layer].name, startMs, endMs, bytes
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
				log.stats.hits++;
			} else {
				log.stats.misses++;
				if (this.everLoaded.has(key)) log.stats.bytesReloaded += layer.weightBytes;
				this.everLoaded.add(key);
				const fit = res.earliestFit(Math.max(this.storageFreeMs, wait, startMs), layer.weightBytes + reserve);
				res.settle(fit.timeMs);
				const over = Math.min(layer.weightBytes, res.makeRoom(fit.timeMs, layer.weightBytes + reserve));
				overflow[j] += over;
				const endMs = fit.timeMs + readMs(layer.weightBytes, device);
				log.record(interval('storage', 'load', j, fit.timeMs, endMs, layer.weightBytes));
				res.change(fit.timeMs, layer.weightBytes);
				this.storageFreeMs = endMs;
				readyMs[j] = endMs;
			}
			if (rule.holdUntilRunEnd) res.holdUntilRunEnd(key, layer.weightBytes);
		};

		const execute = (j: number, notBeforeMs: number): void => {
			const layer = model.layers[j];
			let start = Math.max(notBeforeMs, readyMs[j], j > 0 ? execEndMs[j - 1] : startMs);
			if (overflow[j] > 0) {
				const swapStart = Math.max(this.storageFreeMs, readyMs[j]);
				const swapEnd = swapStart + readMs(overflow[j], device);
				log.record(interval('storage', 'swap', j, swapStart, swapEnd, overflow[j]));
				log.swaps.push({ timeMs: swapStart, taskId: task.id, model: model.id, layer: j, overflowBytes: overflow[j], penaltyMs: swapEnd - swapStart });
				this.storageFreeMs = swapEnd;
				start = Math.max(start, swapEnd);
			}
			const end = start + layerComputeMs(layer, device);
			log.record(interval('compute', 'execute', j, start, end, 0), layer.macs ?? 0);
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
		this.freeMs = endMs;
		return endMs;
	}
}
