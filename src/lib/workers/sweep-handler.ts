/**
 * The sweep: every combination goes through the transform worker's own code path
 * (`handleTransform`: transform → export → analyse → storage → fidelity and latency against the
 * original in onnxruntime-web, with fewer timed runs), then the variant's memory data for the
 * modelled latency, energy and footprint on the scenario's device (computed on the page, so a device
 * change needs no re-run). One failing combination is reported and the sweep goes on.
 */
import { openModel } from '../core/formats/registry';
import { zooInputValues } from './analysis-handler';
import { memoryData } from './memory-data';
import type { SweepPoint, SweepProgress, SweepRequest, SweepResult, TransformResult } from './protocol';
import { handleTransform } from './transform-handler';

const worst = (r: TransformResult, key: 'sqnrDb' | 'top1Agreement'): number | null => {
	const values = Object.values(r.comparison?.fidelity ?? {}).map((f) => f[key]);
	return values.length ? Math.min(...values) : null;
};

export async function handleSweep(req: SweepRequest, progress: (p: SweepProgress) => void): Promise<SweepResult> {
	const t0 = performance.now();
	const n = req.items.length;
	const inputValues = req.zoo ? await zooInputValues(req.zoo, req.dims) : undefined;
	const points: SweepPoint[] = [];
	let basis = '';
	let inputBasis = '';
	let capabilities: SweepResult['capabilities'] = null;
	for (const [k, item] of req.items.entries()) {
		const started = performance.now();
		const point: SweepPoint = {
			index: item.index, label: item.label, options: item.options, storage: { denseBytes: 0, sparseBytes: 0, compressedBytes: 0 },
			ram: { weightBytes: 0, transientBytes: 0, basis: '' }, latency: null, originalLatency: null, sqnrDb: null, top1Agreement: null, memory: null, elapsedMs: 0
		};
		try {
			const r = await handleTransform(
				{ id: req.id, type: 'transform', bytes: req.bytes, fileName: req.fileName, dims: req.dims, zoo: req.zoo, options: item.options, measure: req.measure },
				(p) => progress({ k, n, label: item.label, stage: p.stage })
			);
			point.storage = r.storageAfter;
			point.ram = r.ramAfter;
			if (r.comparison) {
				point.latency = r.comparison.variant;
				point.originalLatency = r.comparison.original;
				point.sqnrDb = worst(r, 'sqnrDb');
				point.top1Agreement = worst(r, 'top1Agreement');
				basis = r.comparison.basis;
				inputBasis = r.comparison.inputBasis;
				capabilities = r.comparison.capabilities;
			} else if (r.comparisonError) point.error = `not measured: ${r.comparisonError}`;
			progress({ k, n, label: item.label, stage: 'modelling' });
			point.memory = memoryData(openModel(r.bytes, `${item.label}.onnx`), { dims: req.dims, inputValues });
		} catch (err) {
			point.error = err instanceof Error ? err.message : String(err);
		}
		point.elapsedMs = performance.now() - started;
		points.push(point);
		progress({ k: k + 1, n, label: item.label, stage: 'measure', point });
	}
	return { points, basis, inputBasis, capabilities, elapsedMs: performance.now() - t0 };
}
