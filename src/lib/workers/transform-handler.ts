/**
 * What the transform worker does for one request, as a plain function (the worker serves it; the
 * RPC client and the unit tests call it in-thread): open the model, run the pipeline (fuse → prune
 * → share, then quantize on its own so the float model it quantized is at hand for per-layer
 * errors), export, analyse, count storage, and optionally compare with the original in
 * onnxruntime-web.
 */
import { analyze, type ModelSummary } from '../core/analysis/summary';
import { openModel } from '../core/formats/registry';
import { exportOnnx } from '../core/formats/onnx/export';
import { topoSort } from '../core/ir/graph';
import type { Model } from '../core/ir/types';
import { layerErrors, type LayerError, type ModelRunner } from '../core/transforms/calibration';
import { activationPairs, inPlaceCandidates, type FuseReport } from '../core/transforms/fuse';
import { applyTransforms, type TransformOptions } from '../core/transforms/pipeline';
import { storageFigures } from '../core/transforms/storage';
import type { TransformReport } from '../core/transforms/types';
import { inferShapes } from '../core/shapes/infer';
import type { InputSpec } from '../engines/feeds';
import { zooInputValues } from './analysis-handler';
import type { RamFigure, TransformProgress, TransformRequest, TransformResult, TransformStage } from './protocol';
import { compareVariant, engineFor, engineRunner, makeFeeds } from './transform-measure';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The pipeline's steps for these options, in order (mirrors applyTransforms). */
export function plannedSteps(o: TransformOptions): TransformStage[] {
	const steps: TransformStage[] = [];
	if (o.fuse) steps.push('fuse');
	if ((o.prune ?? 0) > 0 || o.pruneMode === '2:4') steps.push('prune');
	if (o.share) steps.push('share');
	if (o.quantize && o.quantize !== 'none') steps.push('quantize');
	return steps;
}

/** Weight bytes a runtime holds, given how onnxruntime loads each kind of variant. */
export function ramFigure(summary: ModelSummary, options: TransformOptions, reports: TransformReport[]): RamFigure {
	const notes: string[] = [];
	let weightBytes = summary.weightBytes;
	let transientBytes = 0;
	const quant = reports.find((r) => r.transform.startsWith('fp16') || r.transform.startsWith('int8'));
	if (options.quantize === 'fp16' && quant) {
		for (const row of quant.rows) weightBytes += row.bytesBefore - row.bytesAfter;
		notes.push('onnxruntime folds each Cast of a float16 weight into a float32 weight at load, so RAM holds float32; only the file halves');
	} else if (quant) {
		transientBytes = Math.max(0, ...quant.rows.map((r) => r.elements * 4));
		notes.push('weights stay int8 in RAM; DequantizeLinear makes a float32 copy of one layer’s weights while it runs');
	}
	if (options.share) notes.push('shared weights run as float32 values; the codebook + index form counts only in storage');
	if ((options.prune ?? 0) > 0 || options.pruneMode === '2:4') notes.push('zeroed weights are still held densely: no sparse kernels in onnxruntime-web');
	return { weightBytes, transientBytes, basis: notes.length ? notes.join('; ') : 'as stored in the model' };
}

const strip = ({ denseBytes, sparseBytes, compressedBytes }: { denseBytes: number; sparseBytes: number; compressedBytes: number }) => ({
	denseBytes,
	sparseBytes,
	compressedBytes
});

/** Up to `limit` Conv/Gemm/MatMul outputs present in both models, for per-layer output errors. */
function layerOutputs(before: Model, after: Model, limit = 80): string[] {
	const produced = new Set(after.graph.nodes.flatMap((n) => n.outputs));
	return before.graph.nodes
		.filter((n) => ['Conv', 'Gemm', 'MatMul', 'ConvTranspose'].includes(n.opType) && produced.has(n.outputs[0]))
		.map((n) => n.outputs[0])
		.slice(0, limit);
}

export async function handleTransform(req: TransformRequest, progress: (p: TransformProgress) => void): Promise<TransformResult> {
	const steps = plannedSteps(req.options);
	const all: TransformStage[] = ['parsing', ...steps, 'export', 'analyse', 'storage', ...(req.measure ? (['measure'] as const) : [])];
	const stageMs: Partial<Record<TransformStage, number>> = {};
	let t = performance.now();
	const enter = async (stage: TransformStage) => {
		progress({ stage, done: all.indexOf(stage) / all.length });
		await tick();
	};
	const leave = (stage: TransformStage) => {
		const now = performance.now();
		stageMs[stage] = (stageMs[stage] ?? 0) + now - t;
		t = now;
	};

	await enter('parsing');
	const bytes = req.bytes instanceof Uint8Array ? req.bytes : new Uint8Array(req.bytes);
	const original = openModel(bytes, req.fileName);
	const inputValues = req.zoo ? await zooInputValues(req.zoo, req.dims) : undefined;
	const summaryBefore = analyze(original, { dims: req.dims, inputValues });
	leave('parsing');

	const needsRunner = req.options.quantize === 'int8-static' || (req.measure && req.options.quantize && req.options.quantize !== 'none');
	let runner: ModelRunner | undefined;
	let feeds: Awaited<ReturnType<typeof makeFeeds>> | undefined;
	if (needsRunner || req.measure) {
		feeds = await makeFeeds(req.zoo, summaryBefore.inputs as unknown as InputSpec[], req.dims);
		if (needsRunner) runner = engineRunner((await engineFor(req.measure?.wasmPaths ?? '')).engine, feeds.feeds);
	}

	const ctxProgress = (step: string) => {
		leave(step as TransformStage);
		const next = all[all.indexOf(step as TransformStage) + 1];
		if (next && steps.includes(next)) progress({ stage: next, done: all.indexOf(next) / all.length });
	};
	if (steps[0]) await enter(steps[0]);
	const { quantize, ...rest } = req.options;
	const pre = await applyTransforms(original, { ...rest, dims: req.dims }, { progress: ctxProgress });
	const post = quantize && quantize !== 'none' ? await applyTransforms(pre.model, { quantize, perChannel: rest.perChannel, calibration: rest.calibration, keepFloat: rest.keepFloat }, { run: runner, progress: () => ctxProgress('quantize') }) : { model: pre.model, reports: [] };
	const variant = post.model;
	const reports = [...pre.reports, ...post.reports];

	await enter('export');
	const out = exportOnnx(variant);
	leave('export');

	await enter('analyse');
	const summary = analyze(variant, { dims: req.dims, inputValues });
	const fuseReport = reports.find((r) => r.transform === 'fuse') as FuseReport | undefined;
	let shapes;
	try {
		shapes = inferShapes(variant, req.dims, { inputValues }).values;
	} catch {
		shapes = undefined;
	}
	const sorted = topoSort(variant.graph);
	const inPlace = inPlaceCandidates(sorted, shapes);
	const pairs = fuseReport?.activationPairs ?? activationPairs(sorted);
	leave('analyse');

	await enter('storage');
	const [storageBefore, storageAfter] = await Promise.all([storageFigures(original), storageFigures(variant)]);
	leave('storage');

	let comparison: TransformResult['comparison'] = null;
	let comparisonError: string | undefined;
	let errors: LayerError[] = [];
	if (req.measure && feeds) {
		await enter('measure');
		try {
			const { engine, capabilities } = await engineFor(req.measure.wasmPaths);
			comparison = await compareVariant(engine, capabilities, bytes, out, feeds, req.measure);
			if (runner && post.reports.length) errors = await layerErrors(pre.model, variant, layerOutputs(pre.model, variant), runner);
		} catch (err) {
			comparisonError = err instanceof Error ? err.message : String(err);
		}
		leave('measure');
	}

	return {
		bytes: out,
		summary,
		summaryBefore,
		reports,
		storageBefore: strip(storageBefore),
		storageAfter: strip(storageAfter),
		ramBefore: ramFigure(summaryBefore, {}, []),
		ramAfter: ramFigure(summary, req.options, reports),
		inPlace,
		activationPairs: pairs,
		comparison,
		comparisonError,
		layerErrors: errors,
		stageMs
	};
}
