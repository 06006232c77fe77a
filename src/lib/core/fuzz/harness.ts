/**
 * The fuzz pipeline for one case: the file goes to every importer the registry has (and through
 * `openModel`/`openFiles` themselves); each graph that comes out goes on through the validator, shape
 * inference, the summary, the memory model and every planner. A case passes when every target ends,
 * within the time bound, in a graph whose figures are finite or in a ModelFormatError with a message.
 */
import { analyze } from '../analysis/summary';
import { ModelFormatError } from '../formats/errors';
import { FORMATS, openFiles, openModel } from '../formats/registry';
import type { NamedFile } from '../formats/tfjs/model-json';
import type { Model } from '../ir/types';
import { validateGraph } from '../ir/validate';
import { modelMemory } from '../memory/from-model';
import { planners } from '../memory/planners';
import { inferShapes } from '../shapes/infer';

export type Stage = 'open' | 'validate' | 'infer' | 'analyze' | 'memory' | 'plan';

/** How one target ended on one case. */
export interface TargetOutcome {
	/** 'onnx', 'tflite', 'tfjs' (an importer called directly), 'openModel' or 'openFiles'. */
	target: string;
	result: 'graph' | 'typed-error' | 'failure';
	/** The stage that failed, or the last one run. */
	stage: Stage;
	/** The ModelFormatError code, for typed errors. */
	code?: string;
	/** The error or invariant that failed, or the typed error's message. */
	message?: string;
	elapsedMs: number;
}

export interface HarnessOptions {
	/** A target that takes longer than this (all stages together) fails the case, in ms (default 2000). */
	timeBudgetMs?: number;
	/** Clock, replaceable in tests. */
	now?: () => number;
}

const finite = (n: number) => Number.isFinite(n) && n >= 0;

/** Runs the stages after import; throws an Error naming the broken invariant. */
function downstream(model: Model, onStage: (stage: Stage) => void): void {
	onStage('validate');
	const issues = validateGraph(model.graph);
	if (issues.length) throw new Error(`the importer returned a graph the validator rejects: ${issues[0].message}`);
	onStage('infer');
	inferShapes(model);
	onStage('analyze');
	const summary = analyze(model);
	for (const key of ['macs', 'params', 'weightBytes', 'peakLiveActivationBytes'] as const) {
		if (!finite(summary[key])) throw new Error(`analyze gave ${key} = ${summary[key]}`);
	}
	onStage('memory');
	const memory = modelMemory(model);
	onStage('plan');
	for (const planner of planners) {
		const plan = planner.plan(memory.buffers);
		if (!finite(plan.arenaBytes)) throw new Error(`planner ${planner.id} gave arenaBytes = ${plan.arenaBytes}`);
	}
}

/** Runs one target: open, then every later stage; exported for the harness's own tests. */
export function runTarget(target: string, open: () => Model, options: Required<HarnessOptions>): TargetOutcome {
	const start = options.now();
	let stage: Stage = 'open';
	const outcome = (result: TargetOutcome['result'], extra: Partial<TargetOutcome> = {}): TargetOutcome => {
		const elapsedMs = options.now() - start;
		if (result !== 'failure' && elapsedMs > options.timeBudgetMs) {
			return { target, result: 'failure', stage, message: `took ${elapsedMs.toFixed(0)} ms, over the ${options.timeBudgetMs} ms bound`, elapsedMs };
		}
		return { target, result, stage, elapsedMs, ...extra };
	};
	try {
		const model = open();
		downstream(model, (next) => {
			// A stage that overran is reported at once: the rest would only add to the time.
			if (options.now() - start > options.timeBudgetMs) throw new Error(`over the ${options.timeBudgetMs} ms bound before stage ${next}`);
			stage = next;
		});
		return outcome('graph');
	} catch (error) {
		if (error instanceof ModelFormatError && stage === 'open') {
			if (!error.message.trim()) return outcome('failure', { message: `ModelFormatError '${error.code}' with an empty message` });
			return outcome('typed-error', { code: error.code, message: error.message });
		}
		const message = error instanceof Error ? `${error.name}: ${error.message}` : `non-Error thrown: ${String(error)}`;
		return outcome('failure', { message });
	}
}

/** The targets a case runs on: every importer and the registry entry point. */
export function targetsFor(files: NamedFile[]): { target: string; open: () => Model }[] {
	if (files.length > 1) return [{ target: 'openFiles', open: () => openFiles(files) }];
	const [{ name, bytes }] = files;
	return [
		...FORMATS.map((format) => ({ target: format.id, open: () => format.open(bytes, name) })),
		{ target: 'openModel', open: () => openModel(bytes, name) }
	];
}

/** Runs one case (one file, or a model.json with its shards) through every target. Never throws. */
export function runCase(files: NamedFile[], options: HarnessOptions = {}): TargetOutcome[] {
	const resolved = { timeBudgetMs: options.timeBudgetMs ?? 2000, now: options.now ?? (() => performance.now()) };
	return targetsFor(files).map(({ target, open }) => runTarget(target, open, resolved));
}
