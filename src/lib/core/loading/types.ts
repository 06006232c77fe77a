/**
 * Input and output types of the loading simulator. Deliberately small and independent of the graph IR,
 * the analysis summary and the device profiles: adapters (`adapters.ts`) map those onto these types, so the
 * simulator can also be driven by hand-written models and devices in tests.
 */

/** One layer (or block) of a model as the loader sees it: what to read from storage and what to run. */
export interface LayerSpec {
	name: string;
	/** Bytes read from storage and held in RAM while the layer's weights are resident. */
	weightBytes: number;
	/** Bytes of the activation this layer outputs; held from its execution start until the next layer ends. */
	outputBytes: number;
	/** Compute time on the device; when absent, derived from `macs` and the device's MAC rate. */
	computeMs?: number;
	macs?: number;
	/** Element type of the arithmetic, to pick a per-dtype MAC rate ('float32' when absent). */
	dtype?: string;
}

/** A model as a sequence of layers executed in order. */
export interface ModelSpec {
	id: string;
	layers: LayerSpec[];
	/** Bytes of the model's input activation, allocated when a run starts (0 when absent). */
	inputBytes?: number;
}

/** A device as the loader sees it: one storage lane, one compute lane, a power model. */
export interface DeviceSpec {
	id: string;
	/** Sustained sequential read bandwidth of the storage holding the weights. */
	storageBandwidthBytesPerSecond: number;
	/** Fixed cost per read request (seek, open, request setup). */
	storageLatencyMs: number;
	/** MACs per second when a layer gives MACs but no compute time. */
	macsPerSecond: number;
	/** Per-dtype overrides of `macsPerSecond` (e.g. int8 faster on a DSP, slower on plain WASM). */
	macsPerSecondByDtype?: Record<string, number>;
	/** Fixed cost per layer execution (kernel dispatch, session overhead). */
	layerOverheadMs?: number;
	/** Board power when idle; charged over the whole makespan. */
	idlePowerWatts?: number;
	/** Power above idle while the compute lane is busy. */
	computePowerWatts?: number;
	/** Power above idle while the storage lane is busy. */
	storagePowerWatts?: number;
	/** Optional per-operation terms (Horowitz, ISSCC 2014 style), added to the power × time terms. */
	energyPerMacPicojoules?: number;
	energyPerStorageBytePicojoules?: number;
}

/** How a model's layers are brought from storage into RAM. */
export type LoadingPolicy =
	| { kind: 'bulk' }
	| { kind: 'linear' }
	/** Prefetch layers i+1..i+lookahead while layer i executes (lookahead ≥ 1). */
	| { kind: 'interleaved'; lookahead: number }
	/** Load layers in order up to `budgetBytes` of weights up front and keep them; stream the rest. */
	| { kind: 'partial'; budgetBytes: number; lookahead: number };

export type PolicyKind = LoadingPolicy['kind'];
export type CacheKind = 'none' | 'lru' | 'lfu' | 'size-aware';
export type SchedulerKind = 'fifo' | 'priority' | 'edf';

/** One request: run its stages (model ids) one after another, each feeding the next. */
export interface TaskSpec {
	id: string;
	/** The stream (workload entry) the task came from. */
	stream: string;
	arrivalMs: number;
	stages: string[];
	/** Absolute deadline for the whole task; absent = none. */
	deadlineMs?: number;
	/** Larger runs first under the priority scheduler. */
	priority: number;
}

export interface SimulationOptions {
	/** RAM available for weights and activations; Infinity for no limit. */
	ceilingBytes: number;
	/** One policy for every model, or per model id (`default` for the rest). */
	policy: LoadingPolicy | Record<string, LoadingPolicy>;
	cache: CacheKind;
	scheduler: SchedulerKind;
	/** Identical devices sharing the workload, each with its own RAM (under the ceiling), storage and cache; 1 when absent. */
	devices?: number;
}

export type Lane = 'storage' | 'compute';
export type IntervalKind = 'load' | 'swap' | 'execute';

/** A span of time on a lane, for the Gantt chart. */
export interface Interval {
	/** The device instance: the profile's id, or `id/1`, `id/2`, … when several share the workload. */
	device: string;
	lane: Lane;
	kind: IntervalKind;
	taskId: string;
	model: string;
	layer: number;
	layerName: string;
	startMs: number;
	endMs: number;
	/** Bytes moved (load, swap) or 0 (execute). */
	bytes: number;
}

/** Memory in use from `timeMs` until the next point: a step function. */
export interface MemoryPoint {
	timeMs: number;
	bytes: number;
}

/** Weights pushed over the ceiling: the excess is paged out and read back before the layer runs. */
export interface SwapEvent {
	timeMs: number;
	taskId: string;
	model: string;
	layer: number;
	overflowBytes: number;
	penaltyMs: number;
}

export interface TaskResult {
	id: string;
	stream: string;
	arrivalMs: number;
	startMs: number;
	finishMs: number;
	latencyMs: number;
	deadlineMs?: number;
	missedDeadline: boolean;
	/** Dynamic energy of the task's intervals (idle power is charged to the run, not to tasks). */
	energyMillijoules: number;
}

export interface CacheStats {
	hits: number;
	misses: number;
	hitRate: number;
	/** Bytes loaded again for layers that had been resident before and were freed or evicted. */
	bytesReloaded: number;
	evictions: number;
}

export interface SimulationResult {
	device: string;
	/** Names of the device instances, in order (the `device` of their intervals). */
	devices: string[];
	/** Per device. */
	ceilingBytes: number;
	intervals: Interval[];
	/** Memory in use on the first device (the only one when `devices` has one). */
	memory: MemoryPoint[];
	/** Memory in use on each device, in the order of `devices`. */
	memoryByDevice: MemoryPoint[][];
	tasks: TaskResult[];
	swaps: SwapEvent[];
	cache: CacheStats;
	energyMillijoules: number;
}
