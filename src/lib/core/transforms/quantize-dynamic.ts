/**
 * Dynamic int8 quantization of MatMul/Gemm with a 2-D weight initializer: the weight is stored as
 * symmetric int8 (per tensor or per output column), the activation is quantized to uint8 at run
 * time by DynamicQuantizeLinear (its range measured on every inference, so no calibration). Two
 * graph forms, both run by onnxruntime-web (bench/transforms.ts measures them):
 * - 'integer': MatMulInteger(x_q, W_q, x_zp) → Cast → × (x_scale · w_scale) (+ bias), which ORT's
 *   MatMulIntegerToFloat fusion turns into one DynamicQuantizeMatMul kernel;
 * - 'qdq': DequantizeLinear(DynamicQuantizeLinear(x)) and DequantizeLinear(W_q) feeding the
 *   original float MatMul/Gemm, left to ORT's QDQ fusions.
 * Needs opset 11 (DynamicQuantizeLinear), 13 for a per-column DequantizeLinear axis.
 */
import { fromFloat32, readFloat32 } from '../ir/graph';
import type { Model, Node } from '../ir/types';
import { upgradeOpset } from './opset';
import { quantizeSymmetric } from './quant-math';
import type { KeepFloat } from './quantize-fp16';
import { keptFloat } from './quantize-int8';
import type { LayerRow, Skipped, TransformResult } from './types';
import { adoptTensor, baseReport, defaultOpset, editableCopy, finishReport, floatAttr, intAttr, nameAllocator, weightTensors } from './util';

export type DynamicForm = 'integer' | 'qdq';

export interface Int8DynamicOptions {
	perChannel?: boolean;
	/** Graph form; default 'integer' (the faster in onnxruntime-web, see docs/transforms.md). */
	form?: DynamicForm;
	/** Weights with fewer elements stay float. Default 64. */
	minElements?: number;
	keepFloat?: KeepFloat;
}

/** Why a MatMul/Gemm cannot be quantized dynamically, or null. */
function unsupported(node: Node, dims: number[]): string | null {
	if (dims.length !== 2) return `weight has rank ${dims.length}, not 2`;
	if (node.opType === 'Gemm' && intAttr(node, 'transA', 0)) return 'Gemm with transA';
	return null;
}

/** Gemm's bias must be an initializer when beta ≠ 1 (the integer form scales it once, offline). */
function biasProblem(node: Node, isInit: (name: string) => boolean): string | null {
	const bias = node.opType === 'Gemm' ? node.inputs[2] : undefined;
	return bias && floatAttr(node, 'beta', 1) !== 1 && !isInit(bias) ? 'Gemm with beta ≠ 1 on a computed bias' : null;
}

/** Replaces MatMul/Gemm weights with int8 and quantizes their activations at run time. */
export function quantizeDynamic(model: Model, options: Int8DynamicOptions = {}): TransformResult {
	const form = options.form ?? 'integer';
	const perChannel = options.perChannel ?? false;
	const raised = upgradeOpset(model, Math.max(perChannel && form === 'qdq' ? 13 : 11, defaultOpset(model)));
	const out = editableCopy(raised);
	const graph = out.graph;
	const fresh = nameAllocator(graph);
	const rows: LayerRow[] = [];
	const skipped: Skipped[] = [];
	const readersOf = (name: string) => graph.nodes.filter((n) => n.inputs.includes(name));
	const targets = weightTensors(graph, options.minElements ?? 64).filter(({ node }) => node.opType === 'MatMul' || node.opType === 'Gemm');
	for (const { node, init } of targets) {
		const readers = readersOf(init.name);
		const problem = readers.length > 1 ? 'weight shared by several nodes' : keptFloat(node, options.keepFloat) ? 'kept float'
			: unsupported(node, init.dims) ?? (form === 'integer' ? biasProblem(node, (b) => Boolean(graph.initializers[b])) : null);
		if (problem) { skipped.push({ node: node.name, reason: problem }); continue; }
		// Work on W as [K, N] (what MatMulInteger takes); Gemm with transB stores [N, K].
		const transB = node.opType === 'Gemm' && intAttr(node, 'transB', 0) === 1;
		let values = readFloat32(init);
		let [k, n] = init.dims;
		if (transB && form === 'integer') {
			[k, n] = [n, k];
			const t = new Float32Array(values.length);
			for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) t[c * n + r] = values[r * k + c];
			values = t;
		}
		const axis = perChannel ? (transB && form === 'qdq' ? 0 : 1) : null;
		const dims = transB && form === 'qdq' ? init.dims : [k, n];
		const q = quantizeSymmetric(values, dims, axis);
		const x = node.inputs[0];
		const base = node.name || init.name;
		const name = (s: string) => fresh(`${base}_${s}`);
		const wq = adoptTensor(q.codes, dims, name('weight_int8'), init.origin);
		const ws = fromFloat32(q.scales, 'float32', axis === null ? [] : [q.scales.length], name('weight_scale'), 'initializer');
		graph.initializers[wq.name] = wq;
		graph.initializers[ws.name] = ws;
		const [xq, xs, xz] = [name('x_uint8'), name('x_scale'), name('x_zero_point')];
		const added: Node[] = [{ name: name('DynamicQuantizeLinear'), opType: 'DynamicQuantizeLinear', domain: '', inputs: [x], outputs: [xq, xs, xz], attrs: {} }];
		const y = node.outputs[0];
		if (form === 'qdq') {
			const wz = fromFloat32(new Float32Array(q.scales.length), 'int8', ws.dims, name('weight_zero_point'), 'initializer');
			graph.initializers[wz.name] = wz;
			const [xd, wd] = [name('x_dequantized'), name('weight_dequantized')];
			added.push(
				{ name: name('x_DequantizeLinear'), opType: 'DequantizeLinear', domain: '', inputs: [xq, xs, xz], outputs: [xd], attrs: {} },
				{ name: name('weight_DequantizeLinear'), opType: 'DequantizeLinear', domain: '', inputs: [wq.name, ws.name, wz.name], outputs: [wd], attrs: axis === null ? {} : { axis: { type: 'int', value: axis } } },
				{ ...node, inputs: [xd, wd, ...node.inputs.slice(2)] }
			);
		} else {
			const [acc, accf, scale] = [name('int32'), name('float'), name('scale')];
			const alpha = node.opType === 'Gemm' ? floatAttr(node, 'alpha', 1) : 1;
			const bias = node.opType === 'Gemm' ? node.inputs[2] : undefined;
			const scaled = bias ? name('scaled') : y;
			added.push(
				{ name: name('MatMulInteger'), opType: 'MatMulInteger', domain: '', inputs: [xq, wq.name, xz], outputs: [acc], attrs: {} },
				{ name: name('Cast'), opType: 'Cast', domain: '', inputs: [acc], outputs: [accf], attrs: { to: { type: 'int', value: 1 } } },
				{ name: name('scale_Mul'), opType: 'Mul', domain: '', inputs: [xs, alpha === 1 ? ws.name : scaleBy(ws.name, alpha)], outputs: [scale], attrs: {} },
				{ name: name('Mul'), opType: 'Mul', domain: '', inputs: [accf, scale], outputs: [scaled], attrs: {} }
			);
			if (bias) {
				const beta = floatAttr(node, 'beta', 1);
				added.push({ name: name('bias_Add'), opType: 'Add', domain: '', inputs: [scaled, beta === 1 ? bias : scaleBy(bias, beta)], outputs: [y], attrs: {} });
			}
		}
		graph.nodes.splice(graph.nodes.indexOf(node), 1, ...added);
		delete graph.initializers[init.name];
		rows.push({ node: node.name, opType: node.opType, tensor: init.name, elements: values.length, bytesBefore: init.data.byteLength, bytesAfter: wq.data.byteLength + ws.data.byteLength, sqnrDb: q.sqnrDb });
	}

	/** A new initializer holding `factor` × the named float initializer. */
	function scaleBy(tensor: string, factor: number): string {
		const src = graph.initializers[tensor];
		const scaledName = fresh(`${tensor}_scaled`);
		graph.initializers[scaledName] = fromFloat32(readFloat32(src).map((v) => v * factor), 'float32', src.dims, scaledName, src.origin);
		return scaledName;
	}

	const report = finishReport({ ...baseReport(`int8-dynamic-${form}${perChannel ? '-per-channel' : ''}`, model, out), rows, skipped }, model, out);
	if (defaultOpset(raised) !== defaultOpset(model)) report.notes.push(`opset raised ${defaultOpset(model)} → ${defaultOpset(raised)}`);
	report.notes.push('Activations are quantized at run time (DynamicQuantizeLinear): no calibration, a small per-inference cost.');
	return { model: out, report };
}
