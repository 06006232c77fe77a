/**
 * What the analysis worker does for one request, as a plain function: the worker serves it, and the
 * RPC client calls it in-thread where there are no workers.
 */
import { analyze } from '../core/analysis/summary';
import { openModel } from '../core/formats/registry';
import type { AnalysisProgress, AnalysisRequest, AnalysisResult } from './protocol';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

export async function handleAnalysis(
	req: AnalysisRequest,
	progress: (p: AnalysisProgress) => void
): Promise<AnalysisResult> {
	progress({ stage: 'reading' });
	const bytes = req.bytes instanceof Uint8Array ? req.bytes : new Uint8Array(req.bytes);
	progress({ stage: 'parsing' });
	// Yield between stages so progress reaches the page (and so in-thread use stays interruptible).
	await tick();
	const t0 = performance.now();
	const model = openModel(bytes, req.fileName);
	const t1 = performance.now();
	progress({ stage: 'inferring shapes' });
	await tick();
	const summary = analyze(model, { dims: req.dims });
	const t2 = performance.now();
	progress({ stage: 'summarising' });
	return {
		fileName: req.fileName,
		fileBytes: bytes.byteLength,
		summary,
		parseMs: t1 - t0,
		analyzeMs: t2 - t1
	};
}
