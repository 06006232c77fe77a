/**
 * The scenario: one small plain object that is the single source of truth for the notebook. The URL encodes
 * it, the page derives every figure from it, and the CLI builds the same object from flags.
 *
 * Every field has its own valibot schema so the URL decoder can validate fields one at a time and fall back
 * per field. Number schemas clamp (and round integers) rather than reject, so a slightly-out-of-range link
 * still opens close to what its author meant.
 */
import * as v from 'valibot';
import { jsonEqual } from './equal.ts';

/**
 * The scenario format version written into every URL (`#s=<version>.<payload>`). Version 2: every notebook
 * cell open by default. Version 3: tiling's network, gateway and per-device profiles, the workload's device
 * count, and tiling defaults of 8 fused layers, a 3×3 grid and a 100 Mbit/s link (see migrations.ts).
 */
export const SCENARIO_VERSION = 3;

/** Upper bound on any byte count in a scenario: 1 PiB, far above any device and still an exact integer. */
export const MAX_BYTES = 2 ** 50;

export const QUANTIZE_MODES = ['none', 'fp16', 'int8-weight', 'int8-dynamic', 'int8-static'] as const;
export const CALIBRATIONS = ['minmax', 'percentile'] as const;
export const PRUNE_MODES = ['none', 'unstructured', '2:4', 'channels'] as const;
/** Weight-sharing codebook bits: 0 = off, otherwise 2^bits shared values per tensor. */
export const SHARE_BITS = [0, 2, 3, 4, 5, 6, 7, 8] as const;
export const ORDERS = ['model', 'optimized'] as const;
export const POLICY_KINDS = ['bulk', 'linear', 'interleaved', 'partial'] as const;
export const WORKLOAD_KINDS = ['single', 'pipeline', 'batch', 'poisson'] as const;
export const SCHEDULERS = ['fifo', 'priority', 'edf'] as const;
export const CACHES = ['none', 'lru', 'lfu', 'size'] as const;
/** What the tiling cell partitions: the seeded reference network, or the loaded model. */
export const TILING_NETWORKS = ['reference', 'model'] as const;

export const MAX_SPARSITY = 0.95;
/** Caps on list and record sizes, so a crafted link cannot make the page build huge structures. */
export const MAX_LIST_ITEMS = 32;
export const MAX_RECORD_KEYS = 32;
export const MAX_ID_LENGTH = 64;
export const MAX_FILE_NAME_LENGTH = 255;

const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));

/** An integer in [min, max]: finite numbers are rounded and clamped, anything else is rejected. */
export const intIn = (min: number, max: number) =>
	v.pipe(
		v.number(),
		v.finite(),
		v.transform((x) => clamp(Math.round(x), min, max) + 0)
	);

/** A real number in [min, max]: finite numbers are clamped (`+ 0` turns -0 into 0), anything else rejected. */
export const realIn = (min: number, max: number) =>
	v.pipe(
		v.number(),
		v.finite(),
		v.transform((x) => clamp(x, min, max) + 0)
	);

/** Keys that would reach an object's prototype machinery if ever used as property names. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** An identifier (zoo model, device profile, planner, cell, control): short, plain characters only. */
export const IdSchema = v.pipe(
	v.string(),
	v.regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/),
	v.check((s) => !RESERVED_KEYS.has(s))
);

/** A record key (dim name such as `p2o.DynamicDimension.0`, device-profile field). */
const KeySchema = IdSchema;

/** An uploaded file's name: data only, never markup; no control characters, angle brackets or lone surrogates. */
export const FileNameSchema = v.pipe(
	v.string(),
	v.minLength(1),
	v.maxLength(MAX_FILE_NAME_LENGTH),
	v.check((s) => ![...s].some((c) => c < ' ' || c === '\u007f' || c === '<' || c === '>')),
	// A lone surrogate would not survive UTF-8 and so would not round-trip through a link.
	v.check((s) => !/\p{Surrogate}/u.test(s))
);

export const Sha256Schema = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

/** A zoo model by id, or an uploaded model by file name and content hash (the bytes never go in the URL). */
export const ModelRefSchema = v.variant('kind', [
	v.object({ kind: v.literal('zoo'), id: IdSchema }),
	v.object({ kind: v.literal('upload'), name: FileNameSchema, sha256: Sha256Schema })
]);

const boundedRecord = <T extends v.GenericSchema<unknown, number>>(value: T) =>
	v.pipe(
		v.record(KeySchema, value),
		v.check((r) => Object.keys(r).length <= MAX_RECORD_KEYS)
	);

const idList = v.pipe(v.array(IdSchema), v.maxLength(MAX_LIST_ITEMS));

/** Values for a model's symbolic dims (batch, sequence length…), by dim name; each in [1, 2^31 - 1]. */
export const DimsSchema = boundedRecord(intIn(1, 2 ** 31 - 1));
export const QuantizeSchema = v.picklist(QUANTIZE_MODES);
export const CalibrationSchema = v.picklist(CALIBRATIONS);
export const PruneModeSchema = v.picklist(PRUNE_MODES);
export const SparsitySchema = realIn(0, MAX_SPARSITY);
export const ShareBitsSchema = v.picklist(SHARE_BITS);
/** Overrides of a device profile's numeric fields (RAM bytes, clock Hz…), each in [0, 1e15]. */
export const DeviceEditsSchema = boundedRecord(realIn(0, 1e15));
/** The memory ceiling in bytes; null means "the device profile's RAM". */
export const CeilingSchema = v.nullable(intIn(0, MAX_BYTES));
export const OrderSchema = v.picklist(ORDERS);
export const PolicyKindSchema = v.picklist(POLICY_KINDS);
export const LookaheadSchema = intIn(0, 64);
/** The loading policy's weight budget in bytes; null means "whatever the ceiling leaves". */
export const BudgetSchema = v.nullable(intIn(0, MAX_BYTES));
export const WorkloadKindSchema = v.picklist(WORKLOAD_KINDS);
export const ModelListSchema = idList;
export const RatePerSecondSchema = realIn(0, 1e6);
export const RequestsSchema = intIn(1, 100_000);
export const SchedulerSchema = v.picklist(SCHEDULERS);
export const CacheSchema = v.picklist(CACHES);
/** An inclusive range of node indices [from, to]; a reversed pair is put in order. */
export const LayerRangeSchema = v.pipe(
	v.tuple([intIn(0, 65_535), intIn(0, 65_535)]),
	v.transform(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]))
);
/** Tiles per side [rows, columns]; [1, 1] means no tiling. */
export const GridSchema = v.tuple([intIn(1, 64), intIn(1, 64)]);
export const DevicesSchema = intIn(1, 64);
export const LinkBitsPerSecondSchema = realIn(1, 1e12);
export const TilingNetworkSchema = v.picklist(TILING_NETWORKS);
/** Devices that share a workload (each with its own compute lane, all of the scenario's device profile). */
export const WorkloadDevicesSchema = intIn(1, 16);
export const IdListSchema = idList;
export const SeedSchema = intIn(0, 2 ** 32 - 1);

/** Everything in a scenario except its version and pinned baseline (a baseline is itself a body). */
export const ScenarioBodySchema = v.object({
	model: ModelRefSchema,
	dims: DimsSchema,
	transforms: v.object({
		quantize: QuantizeSchema,
		perChannel: v.boolean(),
		calibration: CalibrationSchema,
		prune: v.object({ mode: PruneModeSchema, sparsity: SparsitySchema }),
		fuse: v.boolean(),
		share: v.object({ bits: ShareBitsSchema })
	}),
	device: v.object({ profile: IdSchema, edits: DeviceEditsSchema }),
	ceilingBytes: CeilingSchema,
	planner: IdSchema,
	order: OrderSchema,
	policy: v.object({ kind: PolicyKindSchema, lookahead: LookaheadSchema, budgetBytes: BudgetSchema }),
	workload: v.object({
		kind: WorkloadKindSchema,
		models: ModelListSchema,
		ratePerSecond: RatePerSecondSchema,
		requests: RequestsSchema,
		scheduler: SchedulerSchema,
		cache: CacheSchema,
		devices: WorkloadDevicesSchema
	}),
	tiling: v.object({
		layers: LayerRangeSchema,
		grid: GridSchema,
		devices: DevicesSchema,
		linkBitsPerSecond: LinkBitsPerSecondSchema,
		network: TilingNetworkSchema,
		/** A gateway device that splits the input and merges the tiles' outputs. */
		gateway: v.boolean(),
		/** Device profile of each tiling device, in order; empty (or shorter than `devices`) means the rest use the scenario's profile. */
		profiles: IdListSchema
	}),
	/** Ids of the notebook cells that are open. */
	cells: IdListSchema,
	/** Teaching flag: ids of controls a lesson link hides, so the page focuses on one concept. */
	hide: IdListSchema,
	seed: SeedSchema
});

/** The whole scenario, strictly: what `decodeScenario` always returns and what the page should hold. */
export const ScenarioSchema = v.object({
	...ScenarioBodySchema.entries,
	v: v.literal(SCENARIO_VERSION),
	baseline: v.nullable(ScenarioBodySchema)
});

export type ModelRef = v.InferOutput<typeof ModelRefSchema>;
export type QuantizeMode = (typeof QUANTIZE_MODES)[number];
export type Calibration = (typeof CALIBRATIONS)[number];
export type PruneMode = (typeof PRUNE_MODES)[number];
export type ShareBits = (typeof SHARE_BITS)[number];
export type OperatorOrder = (typeof ORDERS)[number];
export type PolicyKind = (typeof POLICY_KINDS)[number];
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
export type Scheduler = (typeof SCHEDULERS)[number];
export type CacheKind = (typeof CACHES)[number];
export type TilingNetworkKind = (typeof TILING_NETWORKS)[number];
export type ScenarioBody = v.InferOutput<typeof ScenarioBodySchema>;
export type Transforms = ScenarioBody['transforms'];
export type DeviceChoice = ScenarioBody['device'];
export type LoadingPolicy = ScenarioBody['policy'];
export type Workload = ScenarioBody['workload'];
export type Tiling = ScenarioBody['tiling'];
export type Scenario = v.InferOutput<typeof ScenarioSchema>;

/** True when `x` is a complete, in-range scenario (numbers already clamped and rounded). */
export function isScenario(x: unknown): x is Scenario {
	const r = v.safeParse(ScenarioSchema, x);
	return r.success && jsonEqual(r.output, x);
}
