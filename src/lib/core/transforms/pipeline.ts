/**
 * The transform pipeline in its fixed, documented order: fuse → prune → share → quantize (Deep
 * Compression's prune → share, then quantization last so it sees the final weights; fusion first
 * so BatchNorm scales are in the weights that get pruned and quantized).
 */
import type { Model } from '../ir/types';
import type { ModelRunner } from './calibration';
import { fuse } from './fuse';
import { pruneChannels } from './prune-channels';
import { pruneMagnitude, pruneNM } from './prune-magnitude';
import { quantizeDynamic } from './quantize-dynamic';
import { quantizeFp16, type KeepFloat } from './quantize-fp16';
import { quantizeInt8Weights } from './quantize-int8';
import { quantizeStatic } from './quantize-static';
import { shareWeights } from './share-kmeans';
import type { TransformReport } from './types';

export type QuantizeMode = 'none' | 'fp16' | 'int8-weight' | 'int8-dynamic' | 'int8-static';
export type PruneMode = 'unstructured' | 'global' | '2:4' | 'channels';

export interface TransformOptions {
	fuse?: boolean;
	/** With `fuse`: Conv + activation → com.microsoft FusedConv (the result runs in onnxruntime only). */
	fusedConv?: boolean;
	/**
	 * Target sparsity 0..1 (ignored by '2:4', which is always 50%); for 'channels' the fraction of each
	 * Conv channel group removed. 0 or absent: no pruning.
	 */
	prune?: number;
	pruneMode?: PruneMode;
	/** Weight-sharing index bits 2..8; absent: no sharing. */
	share?: number;
	quantize?: QuantizeMode;
	perChannel?: boolean;
	calibration?: 'minmax' | 'percentile';
	keepFloat?: KeepFloat;
	/** Symbolic dims for shape inference (fusion). */
	dims?: Record<string, number>;
}

export interface TransformContext {
	/** Runs a model on representative inputs; needed by 'int8-static' calibration. */
	run?: ModelRunner;
	/** Called after each step with its name and the fraction of steps done. */
	progress?: (step: string, done: number) => void;
}

export interface PipelineResult {
	model: Model;
	/** One report per step that ran, in order. */
	reports: TransformReport[];
}

/** Applies the chosen transforms in the fixed order. Never mutates `model`. */
export async function applyTransforms(model: Model, options: TransformOptions, ctx: TransformContext = {}): Promise<PipelineResult> {
	const steps: [string, (m: Model) => Promise<{ model: Model; report: TransformReport }> | { model: Model; report: TransformReport }][] = [];
	if (options.fuse) steps.push(['fuse', (m) => fuse(m, { dims: options.dims, fusedConv: options.fusedConv })]);
	if (options.prune && options.prune > 0 || options.pruneMode === '2:4') {
		const mode = options.pruneMode ?? 'unstructured';
		const sparsity = options.prune ?? 0;
		steps.push(['prune', (m) => (mode === '2:4' ? pruneNM(m)
			: mode === 'channels' ? pruneChannels(m, { sparsity })
				: pruneMagnitude(m, { sparsity, scope: mode === 'global' ? 'global' : 'layer' }))]);
	}
	if (options.share) steps.push(['share', (m) => shareWeights(m, { bits: options.share! })]);
	const q = options.quantize ?? 'none';
	if (q === 'fp16') steps.push(['quantize', (m) => quantizeFp16(m, { keepFloat: options.keepFloat })]);
	else if (q === 'int8-weight') steps.push(['quantize', (m) => quantizeInt8Weights(m, { perChannel: options.perChannel, keepFloat: options.keepFloat })]);
	else if (q === 'int8-static') {
		if (!ctx.run) throw new Error('int8-static needs a model runner for calibration (ctx.run).');
		const run = ctx.run;
		steps.push(['quantize', (m) => quantizeStatic(m, run, { perChannel: options.perChannel, keepFloat: options.keepFloat, method: options.calibration })]);
	} else if (q === 'int8-dynamic') steps.push(['quantize', (m) => quantizeDynamic(m, { perChannel: options.perChannel, keepFloat: options.keepFloat })]);
	let current = model;
	const reports: TransformReport[] = [];
	for (const [i, [name, step]] of steps.entries()) {
		const result = await step(current);
		current = result.model;
		reports.push(result.report);
		ctx.progress?.(name, (i + 1) / steps.length);
	}
	return { model: current, reports };
}
