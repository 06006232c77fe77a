/**
 * Validation of a workload JSON file (`tightfit simulate --workload w.json`, or one the page loads). Every
 * problem comes back with the dotted path of the field and what was expected; stream stages must name a
 * declared model.
 */
import * as v from 'valibot';
import type { LayerSpec } from './types';
import type { StreamSpec } from './workload';

/** A model a workload names: a zoo id, an ONNX file, or layers written out. Exactly one of the three. */
export interface WorkloadModelRef {
	id: string;
	zoo?: string;
	file?: string;
	layers?: LayerSpec[];
	/** Symbolic dims for analysis (zoo or file models). */
	dims?: Record<string, number>;
	inputBytes?: number;
}

export interface WorkloadFile {
	name: string;
	description?: string;
	seed: number;
	models: WorkloadModelRef[];
	streams: StreamSpec[];
}

const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000));
const id = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const ids = v.pipe(v.array(id), v.minLength(1, 'needs at least one model id'));

const layer = v.object({
	name: v.string(),
	weightBytes: nonNegative,
	outputBytes: nonNegative,
	computeMs: v.optional(nonNegative),
	macs: v.optional(nonNegative),
	dtype: v.optional(v.string())
});

const model = v.pipe(
	v.object({
		id,
		zoo: v.optional(id),
		file: v.optional(id),
		layers: v.optional(v.array(layer)),
		dims: v.optional(v.record(v.string(), v.pipe(v.number(), v.integer(), v.minValue(1)))),
		inputBytes: v.optional(nonNegative)
	}),
	v.check((m) => [m.zoo, m.file, m.layers].filter((x) => x !== undefined).length === 1, 'give exactly one of "zoo", "file" or "layers"')
);

const common = {
	name: v.optional(id),
	startMs: v.optional(nonNegative),
	deadlineMs: v.optional(v.pipe(v.number(), v.gtValue(0))),
	priority: v.optional(v.pipe(v.number(), v.integer()))
};

const stream = v.variant(
	'kind',
	[
		v.object({ kind: v.literal('pipeline'), stages: ids, count, periodMs: v.optional(nonNegative), ...common }),
		v.object({ kind: v.literal('batch'), models: ids, count, ...common }),
		v.pipe(
			v.object({ kind: v.literal('poisson'), ratePerSecond: v.pipe(v.number(), v.gtValue(0)), count, stages: v.optional(ids), models: v.optional(ids), ...common }),
			v.check((s) => (s.stages === undefined) !== (s.models === undefined), 'a Poisson stream needs either "stages" or "models"')
		)
	],
	'"kind" must be "pipeline", "batch" or "poisson"'
);

export const workloadSchema = v.object({
	name: id,
	description: v.optional(v.string()),
	seed: v.optional(v.pipe(v.number(), v.integer()), 1),
	models: v.pipe(v.array(model), v.minLength(1, 'needs at least one model')),
	streams: v.pipe(v.array(stream), v.minLength(1, 'needs at least one stream'))
});

function pathOf(issue: v.BaseIssue<unknown>): string {
	return (issue.path ?? []).map((p) => String(p.key)).join('.') || '(root)';
}

/** Parses a workload, or returns every problem as `path: message`. */
export function validateWorkload(input: unknown): { ok: true; workload: WorkloadFile } | { ok: false; issues: string[] } {
	const parsed = v.safeParse(workloadSchema, input);
	if (!parsed.success) return { ok: false, issues: parsed.issues.map((i) => `${pathOf(i)}: ${i.message}`) };
	const workload = parsed.output as WorkloadFile;
	const issues: string[] = [];
	const declared = workload.models.map((m) => m.id);
	workload.models.forEach((m, i) => {
		if (declared.indexOf(m.id) !== i) issues.push(`models.${i}.id: "${m.id}" is declared twice`);
	});
	workload.streams.forEach((s, i) => {
		const field = s.kind === 'batch' ? 'models' : s.kind === 'pipeline' ? 'stages' : s.stages ? 'stages' : 'models';
		const list = (s as unknown as Record<string, string[]>)[field];
		list.forEach((name, j) => {
			if (!declared.includes(name)) issues.push(`streams.${i}.${field}.${j}: unknown model "${name}" (declared: ${declared.join(', ')})`);
		});
	});
	return issues.length ? { ok: false, issues } : { ok: true, workload };
}
