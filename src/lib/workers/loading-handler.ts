/**
 * What the loading worker does for one request, as a plain function: the worker serves it, the RPC client
 * calls it in-thread where there are no workers, and the unit tests call it in Node.
 * - `prepare`: analyse zoo models at their dims and fold the summary into loader layers.
 * - `simulate`: expand the workload once, simulate it under every policy asked for, and return the metrics of
 *   each plus the full result (intervals, memory curve) of one — the one the page draws.
 * - `measure`: really run one policy in onnxruntime-web on split blocks (loading-measure.ts, loaded lazily).
 */
import { analyze } from '../core/analysis/summary';
import { dtypeByteSize } from '../core/ir/dtype';
import type { DType } from '../core/ir/types';
import { openModel } from '../core/formats/registry';
import { modelFromSummary } from '../core/loading/adapters';
import { summarize } from '../core/loading/metrics';
import { policyLabel } from '../core/loading/policies';
import { simulate } from '../core/loading/simulator';
import type { ModelSpec } from '../core/loading/types';
import { expandWorkload } from '../core/loading/workload';
import { zooInputValues } from './analysis-handler';
import type { LoadingModelInput, LoadingProgress, LoadingRequest, LoadingResult, PolicyOutcome } from './protocol';

/** Bytes of a summary's graph inputs whose shapes are fully known (the model's input activation). */
function inputBytesOf(summary: ReturnType<typeof analyze>): number {
	return summary.inputs.reduce((s, t) => {
		if (!t.shape || t.shape.some((d) => typeof d !== 'number')) return s;
		return s + (t.shape as number[]).reduce((a, d) => a * d, 1) * dtypeByteSize(t.dtype as DType);
	}, 0);
}

/** One zoo (or uploaded) model as loader layers, analysed at its dims. */
export async function modelSpecOf(input: LoadingModelInput): Promise<ModelSpec> {
	const bytes = input.bytes instanceof Uint8Array ? input.bytes : new Uint8Array(input.bytes);
	const model = openModel(bytes, input.fileName);
	const inputValues = input.zoo ? await zooInputValues(input.zoo, input.dims) : undefined;
	const summary = analyze(model, { dims: input.dims, inputValues });
	return modelFromSummary(input.id, summary, inputBytesOf(summary));
}

export async function handleLoading(req: LoadingRequest, progress: (p: LoadingProgress) => void): Promise<LoadingResult> {
	if (req.type === 'prepare') {
		const t0 = performance.now();
		const models: ModelSpec[] = [];
		for (const input of req.models) {
			progress({ stage: 'analysing', detail: input.id });
			models.push(await modelSpecOf(input));
		}
		return { type: 'prepare', models, analyseMs: performance.now() - t0 };
	}
	if (req.type === 'simulate') {
		progress({ stage: 'simulating' });
		const t0 = performance.now();
		const tasks = expandWorkload(req.streams, req.seed);
		const options = { ceilingBytes: req.ceilingBytes, cache: req.cache, scheduler: req.scheduler, devices: req.devices ?? 1 };
		const outcomes: PolicyOutcome[] = [];
		let detail = null;
		for (const [i, policy] of req.policies.entries()) {
			const result = simulate({ models: req.models, tasks }, req.device, { ...options, policy });
			outcomes.push({ policy, label: policyLabel(policy), metrics: summarize(result) });
			if (i === req.detailIndex) detail = result;
		}
		if (!detail) throw new Error(`No policy at index ${req.detailIndex} (${req.policies.length} given)`);
		return { type: 'simulate', outcomes, detail, simulateMs: performance.now() - t0, tasks: tasks.length };
	}
	const { measurePolicy } = await import('./loading-measure');
	return { type: 'measure', measured: await measurePolicy(req, progress) };
}
