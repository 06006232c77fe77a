/**
 * What the analysis worker does for one request, as a plain function: the worker serves it, and the
 * RPC client calls it in-thread where there are no workers.
 */
import { analyze } from '../core/analysis/summary';
import { openFiles, openModel } from '../core/formats/registry';
import type { ZooEntry } from '../core/zoo/manifest';
import { memoryData, type MemoryData } from './memory-data';
import type { AnalysisProgress, AnalysisRequest, AnalysisResult } from './protocol';

/**
 * The small integer inputs of a zoo model's representative input (Silero VAD's sample rate `sr`),
 * folded into shape inference so that If nodes follow the branch the model really runs.
 */
export async function zooInputValues(entry: ZooEntry, dims: Record<string, number>): Promise<Record<string, number[]>> {
	const { representativeInput } = await import('../core/zoo/inputs');
	const values: Record<string, number[]> = {};
	for (const [name, t] of Object.entries(representativeInput(entry, dims))) {
		if (t.dtype === 'int64' && t.data.length <= 8) values[name] = Array.from(t.data, Number);
	}
	return values;
}

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
	const model = req.files?.length ? openFiles(req.files) : openModel(bytes, req.fileName);
	const t1 = performance.now();
	progress({ stage: 'inferring shapes' });
	await tick();
	const inputValues = req.zoo ? await zooInputValues(req.zoo, req.dims) : undefined;
	const summary = analyze(model, { dims: req.dims, inputValues });
	const t2 = performance.now();
	progress({ stage: 'summarising' });
	let memory: MemoryData | undefined;
	let memoryError: string | undefined;
	try {
		memory = memoryData(model, { dims: req.dims, inputValues });
	} catch (err) {
		memoryError = err instanceof Error ? err.message : String(err);
	}
	// A multi-file model (TF.js) also comes back as ONNX, so the page's ONNX runs and transforms work on it.
	const onnxBytes = req.files?.length ? (await import('../core/formats/onnx/export')).exportOnnx(model) : undefined;
	return {
		modelFormat: model.format,
		modelMetadata: model.metadata,
		onnxBytes,
		memory,
		memoryError,
		fileName: req.fileName,
		fileBytes: bytes.byteLength,
		summary,
		parseMs: t1 - t0,
		analyzeMs: t2 - t1
	};
}
