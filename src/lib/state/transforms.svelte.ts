/**
 * The transform cells' state: reads the scenario's `transforms` field (written only through
 * ScenarioState's setters), sends the loaded model and the chosen pipeline to the transform worker
 * whenever either changes (latest request wins; slider drags are debounced), and keeps the variant's
 * figures with a Blob URL for downloading it. Op types kept in float and the FusedConv choice are page
 * state, not in the link.
 */
import { untrack } from 'svelte';
import type { TransformOptions } from '../core/transforms/pipeline';
import type { ScenarioBody } from '../core/scenario/schema';
import type { TransformProgress, TransformResult } from '../workers/protocol';
import { RpcError } from '../workers/rpc';
import type { LoadedModel } from './model.svelte';
import { ortWasmPaths } from './paths';
import type { ScenarioState } from './scenario.svelte';
import { createTransformClient } from './workers';

export type ScenarioTransforms = ScenarioBody['transforms'];

/** Op types a person may keep in float (their weights are left alone by quantization). */
export const KEEP_FLOAT_CHOICES = ['Conv', 'Gemm', 'MatMul'] as const;

/** Scenario transforms (+ page-only keep-float and FusedConv) → the pipeline's options, or null when nothing is chosen. */
export function pipelineOptions(t: ScenarioTransforms, keepFloat: readonly string[] = [], fusedConv = false): TransformOptions | null {
	const o: TransformOptions = {};
	if (t.fuse) o.fuse = true;
	if (t.fuse && fusedConv) o.fusedConv = true;
	if (t.prune.mode === '2:4') o.pruneMode = '2:4';
	else if (t.prune.mode !== 'none' && t.prune.sparsity > 0) {
		o.pruneMode = t.prune.mode;
		o.prune = t.prune.sparsity;
	}
	if (t.share.bits) o.share = t.share.bits;
	if (t.quantize !== 'none') {
		o.quantize = t.quantize;
		o.perChannel = t.perChannel;
		if (t.quantize === 'int8-static') o.calibration = t.calibration;
		if (keepFloat.length) o.keepFloat = { opTypes: [...keepFloat] };
	}
	return Object.keys(o).length ? o : null;
}

/** "fuse → prune 50% → share 4-bit → int8 weight-only per-channel" */
export function describePipeline(o: TransformOptions | null): string {
	if (!o) return 'no transform';
	const parts: string[] = [];
	if (o.fuse) parts.push(o.fusedConv ? 'fuse + FusedConv' : 'fuse');
	if (o.pruneMode === '2:4') parts.push('prune 2:4');
	else if (o.prune) parts.push(`prune ${Math.round(o.prune * 100)}%`);
	if (o.share) parts.push(`share ${o.share}-bit`);
	if (o.quantize === 'fp16') parts.push('fp16 weights');
	else if (o.quantize) parts.push(`${o.quantize.replace('int8-', 'int8 ').replace('weight', 'weight-only')} ${o.perChannel ? 'per-channel' : 'per-tensor'}`);
	return parts.join(' → ');
}

export interface Variant extends TransformResult {
	/** The model key and options it was made for: a result for anything else is stale. */
	key: string;
	pipeline: string;
	fileName: string;
	downloadUrl: string;
}

export class TransformsState {
	status = $state<'idle' | 'running' | 'done' | 'error'>('idle');
	progress = $state.raw<TransformProgress | null>(null);
	variant = $state.raw<Variant | null>(null);
	error = $state.raw<{ key: string; message: string } | null>(null);
	keepFloat = $state<string[]>([]);
	/** Rewrite Conv + activation as onnxruntime's com.microsoft FusedConv (with fuse on). */
	fusedConv = $state(false);

	private client = createTransformClient();
	private timer: ReturnType<typeof setTimeout> | undefined;
	private pendingKey: string | null = null;
	private stopEffect: () => void;

	constructor(
		readonly scenario: ScenarioState,
		private model: () => LoadedModel | null
	) {
		// Re-run whenever the model or the transforms change; a drag waits for 250 ms of quiet.
		this.stopEffect = $effect.root(() => {
			$effect(() => {
				const current = this.model();
				const options = pipelineOptions(this.scenario.current.transforms, this.keepFloat, this.fusedConv);
				const continuous = this.scenario.lastChange.kind === 'continuous';
				clearTimeout(this.timer);
				if (!current || !options) return untrack(() => this.clear());
				this.timer = setTimeout(() => void this.transform(current, options), continuous ? 250 : 0);
			});
		});
	}

	get transforms(): ScenarioTransforms {
		return this.scenario.current.transforms;
	}

	get options(): TransformOptions | null {
		return pipelineOptions(this.transforms, this.keepFloat, this.fusedConv);
	}

	get pipeline(): string {
		return describePipeline(this.options);
	}

	/** The variant for the current model and options, never a stale one. */
	get current(): Variant | null {
		const model = this.model();
		const options = this.options;
		return model && options && this.variant?.key === keyOf(model, options) ? this.variant : null;
	}

	get currentError(): string | null {
		const model = this.model();
		const options = this.options;
		return model && options && this.error?.key === keyOf(model, options) ? this.error.message : null;
	}

	toggleKeepFloat(opType: string): void {
		this.keepFloat = this.keepFloat.includes(opType) ? this.keepFloat.filter((t) => t !== opType) : [...this.keepFloat, opType];
	}

	async transform(model: LoadedModel, options: TransformOptions): Promise<void> {
		const key = keyOf(model, options);
		if (this.variant?.key === key || this.pendingKey === key) return;
		this.pendingKey = key;
		this.status = 'running';
		this.progress = null;
		const bytes = model.bytes.slice();
		try {
			const result = await this.client.request(
				{
					type: 'transform',
					bytes,
					fileName: model.source.kind === 'zoo' ? `${model.source.entry.id}.onnx` : model.source.fileName,
					dims: { ...model.dims },
					zoo: model.source.kind === 'zoo' ? model.source.entry : undefined,
					options,
					measure: { wasmPaths: ortWasmPaths(), warmup: 2, runs: 10 }
				},
				{ onProgress: (p) => (this.progress = p), transfer: [bytes.buffer] }
			);
			this.setVariant(model, options, key, result);
			this.status = 'done';
			this.error = null;
		} catch (err) {
			if (err instanceof RpcError && err.code === 'superseded') return;
			this.status = 'error';
			this.error = { key, message: err instanceof Error ? err.message : String(err) };
		} finally {
			if (this.pendingKey === key) this.pendingKey = null;
			if (this.status !== 'running') this.progress = null;
		}
	}

	cancel(): void {
		this.pendingKey = null;
		this.client.cancel();
		this.status = 'idle';
		this.progress = null;
	}

	dispose(): void {
		this.stopEffect();
		this.client.dispose();
		if (this.variant) URL.revokeObjectURL(this.variant.downloadUrl);
	}

	private clear() {
		if (this.status === 'running') this.cancel();
		this.status = 'idle';
	}

	private setVariant(model: LoadedModel, options: TransformOptions, key: string, result: TransformResult) {
		if (this.variant) URL.revokeObjectURL(this.variant.downloadUrl);
		const base = (model.source.kind === 'zoo' ? model.source.entry.id : model.source.fileName.replace(/\.onnx$/i, '')) || 'model';
		const suffix = describePipeline(options).replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
		this.variant = {
			...result,
			key,
			pipeline: describePipeline(options),
			fileName: `${base}.${suffix}.onnx`,
			downloadUrl: URL.createObjectURL(new Blob([result.bytes as BlobPart], { type: 'application/octet-stream' }))
		};
	}
}

function keyOf(model: LoadedModel, options: TransformOptions): string {
	return `${model.key}|${JSON.stringify(options)}`;
}
