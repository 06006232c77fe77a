/**
 * The wire form of a scenario body: short keys, only the fields that differ from the defaults. The same
 * field table drives both directions, and decoding validates each leaf on its own so one bad field falls
 * back to its default without losing the others.
 */
import * as v from 'valibot';
import { defaultBody } from './defaults.ts';
import { jsonEqual } from './equal.ts';
import { Notices } from './notices.ts';
import * as S from './schema.ts';
import type { ModelRef, ScenarioBody } from './schema.ts';

interface Leaf {
	short: string;
	schema: v.GenericSchema<unknown, unknown>;
	/** Compact wire value for a field value (defaults to the value itself). */
	toWire?: (value: never) => unknown;
	/** Field-shaped value from a wire value, before validation (defaults to the wire value itself). */
	fromWire?: (wire: unknown) => unknown;
}
interface Group {
	short: string;
	fields: Record<string, Node>;
}
type Node = Leaf | Group;

const leaf = (short: string, schema: v.GenericSchema<unknown, unknown>, extra?: Partial<Leaf>): Leaf => ({
	short,
	schema,
	...extra
});
const group = (short: string, fields: Record<string, Node>): Group => ({ short, fields });

/** A model reference on the wire: `['z', id]` or `['u', name, sha256]`. */
const modelLeaf = leaf('m', S.ModelRefSchema, {
	toWire: (m: ModelRef) => (m.kind === 'zoo' ? ['z', m.id] : ['u', m.name, m.sha256]),
	fromWire: (w) => {
		if (!Array.isArray(w)) return w;
		if (w[0] === 'z' && w.length === 2) return { kind: 'zoo', id: w[1] };
		if (w[0] === 'u' && w.length === 3) return { kind: 'upload', name: w[1], sha256: w[2] };
		return w;
	}
});

/**
 * Short keys of every field. Short keys are part of the URL format: never reuse or rename one; add new
 * fields with new keys (an old link simply lacks them and gets the default).
 */
export const BODY_FIELDS: Record<keyof ScenarioBody, Node> = {
	model: modelLeaf,
	dims: leaf('d', S.DimsSchema),
	transforms: group('t', {
		quantize: leaf('q', S.QuantizeSchema),
		perChannel: leaf('c', v.boolean()),
		calibration: leaf('k', S.CalibrationSchema),
		prune: group('p', { mode: leaf('m', S.PruneModeSchema), sparsity: leaf('s', S.SparsitySchema) }),
		fuse: leaf('f', v.boolean()),
		share: group('h', { bits: leaf('b', S.ShareBitsSchema) })
	}),
	device: group('e', { profile: leaf('p', S.IdSchema), edits: leaf('e', S.DeviceEditsSchema) }),
	ceilingBytes: leaf('c', S.CeilingSchema),
	planner: leaf('p', S.IdSchema),
	order: leaf('o', S.OrderSchema),
	policy: group('l', {
		kind: leaf('k', S.PolicyKindSchema),
		lookahead: leaf('a', S.LookaheadSchema),
		budgetBytes: leaf('b', S.BudgetSchema)
	}),
	workload: group('w', {
		kind: leaf('k', S.WorkloadKindSchema),
		models: leaf('m', S.ModelListSchema),
		ratePerSecond: leaf('r', S.RatePerSecondSchema),
		requests: leaf('n', S.RequestsSchema),
		scheduler: leaf('s', S.SchedulerSchema),
		cache: leaf('c', S.CacheSchema),
		devices: leaf('d', S.WorkloadDevicesSchema)
	}),
	tiling: group('g', {
		layers: leaf('l', S.LayerRangeSchema),
		grid: leaf('g', S.GridSchema),
		devices: leaf('d', S.DevicesSchema),
		linkBitsPerSecond: leaf('b', S.LinkBitsPerSecondSchema),
		network: leaf('n', S.TilingNetworkSchema),
		gateway: leaf('w', v.boolean()),
		profiles: leaf('p', S.IdListSchema)
	}),
	cells: leaf('x', S.IdListSchema),
	hide: leaf('h', S.IdListSchema),
	seed: leaf('r', S.SeedSchema)
};

/** The short key of the pinned baseline at the top level of the wire object. */
export const BASELINE_KEY = 'b';

const isGroup = (n: Node): n is Group => 'fields' in n;
const isPlainObject = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);
const own = (o: Record<string, unknown>, k: string): unknown =>
	Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;

function encodeGroup(fields: Record<string, Node>, value: Record<string, unknown>, dflt: Record<string, unknown>) {
	const out: Record<string, unknown> = {};
	for (const [name, node] of Object.entries(fields)) {
		const x = value[name];
		if (jsonEqual(x, dflt[name])) continue;
		if (isGroup(node)) {
			const inner = encodeGroup(node.fields, x as Record<string, unknown>, dflt[name] as Record<string, unknown>);
			if (Object.keys(inner).length > 0) out[node.short] = inner;
		} else {
			out[node.short] = node.toWire ? node.toWire(x as never) : x;
		}
	}
	return out;
}

/** The wire object for a body: short keys, non-default fields only (an all-default body is `{}`). */
export function encodeBody(body: ScenarioBody): Record<string, unknown> {
	return encodeGroup(BODY_FIELDS, body as never, defaultBody() as never);
}

function decodeGroup(
	fields: Record<string, Node>,
	wire: Record<string, unknown>,
	dflt: Record<string, unknown>,
	path: string,
	notices: Notices
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [name, node] of Object.entries(fields)) {
		const w = own(wire, node.short);
		const where = path + name;
		if (w === undefined) {
			out[name] = dflt[name];
		} else if (isGroup(node)) {
			if (isPlainObject(w)) {
				out[name] = decodeGroup(node.fields, w, dflt[name] as Record<string, unknown>, where + '.', notices);
			} else {
				notices.field(where, 'invalid');
				out[name] = dflt[name];
			}
		} else {
			const input = node.fromWire ? node.fromWire(w) : w;
			const r = v.safeParse(node.schema, input);
			if (!r.success) {
				notices.field(where, 'invalid');
				out[name] = dflt[name];
			} else {
				if (!jsonEqual(r.output, input)) notices.field(where, 'adjusted');
				out[name] = r.output;
			}
		}
	}
	return out;
}

/**
 * A valid body from any wire value: every field validated on its own, falling back to its default (with a
 * notice naming it) when invalid; numbers clamped; unknown keys ignored. Never throws.
 * @param path prefix for field names in notices, e.g. `baseline.`
 */
export function decodeBody(wire: unknown, notices: Notices, path = ''): ScenarioBody {
	if (!isPlainObject(wire)) {
		notices.field(path ? path.slice(0, -1) : 'scenario', 'invalid');
		return defaultBody();
	}
	return decodeGroup(BODY_FIELDS, wire, defaultBody() as never, path, notices) as unknown as ScenarioBody;
}
