/**
 * fp16 weights: float32 initializers are stored as float16 and a Cast back to float32 feeds the
 * original readers, so the graph computes in float32 as before. Whole-graph fp16 is not offered:
 * onnxruntime-web's wasm backend has no float16 kernels for Conv/MatMul, so it would not run.
 * onnxruntime constant-folds Cast(initializer) at load, so this halves the file, not the RAM.
 */
import { consumers, elementCount, fromFloat32, readFloat32 } from '../ir/graph';
import type { Graph, Model } from '../ir/types';
import type { LayerRow, Skipped, TransformResult } from './types';

const FP16_MAX = 65504;
import { baseReport, editableCopy, finishReport, nameAllocator, sqnr } from './util';

/** Ops whose float inputs are all data (never shape-like parameters such as Resize scales or Clip bounds). */
const DATA_OPS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'Add', 'Sub', 'Mul', 'Div', 'BatchNormalization', 'PRelu', 'Max', 'Min', 'Concat', 'Where', 'InstanceNormalization', 'LayerNormalization', 'Gather', 'GRU', 'LSTM', 'RNN']);

export interface KeepFloat {
	/** Op types whose weights stay float32. */
	opTypes?: string[];
	/** Node names whose weights stay float32. */
	nodes?: string[];
}

export interface Fp16Options {
	/** Smaller float32 initializers stay as they are (a Cast costs more than it saves). Default 16. */
	minElements?: number;
	keepFloat?: KeepFloat;
}

/** Float32 initializers that every reader uses as data, and that no kept-float node reads. */
export function convertibleInitializers(graph: Graph, minElements: number, keep: KeepFloat = {}): string[] {
	const readers = consumers(graph);
	const keepOps = new Set(keep.opTypes ?? []);
	const keepNodes = new Set(keep.nodes ?? []);
	const outputs = new Set(graph.outputs.map((o) => o.name));
	return Object.values(graph.initializers)
		.filter((init) => init.dtype === 'float32' && elementCount(init.dims) >= minElements && !outputs.has(init.name))
		.filter((init) => {
			const r = readers.get(init.name) ?? [];
			return r.length > 0 && r.every((i) => {
				const node = graph.nodes[i];
				return DATA_OPS.has(node.opType) && !node.domain && !keepOps.has(node.opType) && !keepNodes.has(node.name);
			});
		})
		.map((init) => init.name);
}

function beyondHalf(values: Float32Array): boolean {
	for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) > FP16_MAX) return true;
	return false;
}

/** Stores float32 weights as float16 behind a Cast. */
export function quantizeFp16(model: Model, options: Fp16Options = {}): TransformResult {
	const out = editableCopy(model);
	const graph = out.graph;
	const fresh = nameAllocator(graph);
	const rows: LayerRow[] = [];
	const skipped: Skipped[] = [];
	const casts = [];
	for (const name of convertibleInitializers(graph, options.minElements ?? 16, options.keepFloat)) {
		const init = graph.initializers[name];
		const values = readFloat32(init);
		if (beyondHalf(values)) {
			skipped.push({ node: name, reason: 'values beyond the float16 range (±65504)' });
			continue;
		}
		const halfName = fresh(`${name}_fp16`);
		const half = fromFloat32(values, 'float16', init.dims, halfName, init.origin);
		graph.initializers[halfName] = half;
		delete graph.initializers[name];
		casts.push({ name: fresh(`${name}_Cast`), opType: 'Cast', domain: '', inputs: [halfName], outputs: [name], attrs: { to: { type: 'int' as const, value: 1 } } });
		rows.push({ node: '', opType: 'Cast', tensor: name, elements: values.length, bytesBefore: init.data.byteLength, bytesAfter: half.data.byteLength, sqnrDb: sqnr(values, readFloat32(half)) });
	}
	graph.nodes = [...casts, ...graph.nodes];
	const report = finishReport({ ...baseReport('fp16', model, out), rows, skipped }, model, out);
	report.notes.push('onnxruntime folds each Cast at session creation: the file halves, weights in RAM stay float32.');
	return { model: out, report };
}
