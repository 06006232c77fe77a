/**
 * Static int8 in QDQ form: activations entering and leaving each Conv/Gemm/MatMul get a
 * QuantizeLinear → DequantizeLinear pair (uint8, ranges from calibration), weights are int8 behind
 * DequantizeLinear (per tensor or per output channel), biases int32 at scale s_x·s_w. onnxruntime
 * recognises these groups and runs QLinearConv / QLinearMatMul kernels.
 */
import { fromFloat32, readFloat32, topoSort } from '../ir/graph';
import type { Model, Node } from '../ir/types';
import { calibrate, type CalibrationOptions, type ModelRunner } from './calibration';
import { upgradeOpset } from './opset';
import { quantizeSymmetric, uint8Params } from './quant-math';
import type { KeepFloat } from './quantize-fp16';
import { keptFloat } from './quantize-int8';
import type { LayerRow, TransformResult } from './types';
import { adoptTensor, baseReport, editableCopy, finishReport, floatInit, intAttr, nameAllocator, outputChannelAxis, pruneUnusedInitializers, WEIGHT_OPS } from './util';

export interface StaticInt8Options extends CalibrationOptions {
	perChannel?: boolean;
	keepFloat?: KeepFloat;
	/**
	 * Quantize depthwise Convs too. Off by default: onnxruntime-web's int8 depthwise kernel
	 * (QLinearConv with group = channels) ran slower than the whole float model around it; on the
	 * orientation classifier its 11 depthwise Convs alone took the int8 model from 1.4× to 2.8× the
	 * float time (docs/transforms.md).
	 */
	depthwise?: boolean;
}

/** A grouped Conv whose every group has one input channel (MobileNet's depthwise layers). */
function isDepthwise(model: Model, node: Node): boolean {
	const w = model.graph.initializers[node.inputs[1]];
	return node.opType === 'Conv' && intAttr(node, 'group', 1) > 1 && w?.dims[1] === 1;
}

/** Nodes static quantization rewrites: weight ops with a constant weight, not kept float. */
function targets(model: Model, keep?: KeepFloat, depthwise = false): Node[] {
	return model.graph.nodes.filter((n) => WEIGHT_OPS.has(n.opType) && n.opType !== 'ConvTranspose' && floatInit(model.graph, n, 1) && !keptFloat(n, keep) && !n.domain
		&& (depthwise || !isDepthwise(model, n)));
}

/** Activation tensors of the target nodes (their data input and output). */
export function activationTensors(model: Model, keep?: KeepFloat, depthwise = false): string[] {
	return [...new Set(targets(model, keep, depthwise).flatMap((n) => [n.inputs[0], n.outputs[0]]))];
}

export async function quantizeStatic(model: Model, run: ModelRunner, options: StaticInt8Options = {}): Promise<TransformResult> {
	const raised = upgradeOpset(model, 13);
	const names = activationTensors(raised, options.keepFloat, options.depthwise);
	const ranges = await calibrate(raised, names, run, options);
	const out = editableCopy(raised);
	const graph = out.graph;
	const fresh = nameAllocator(graph);
	const added: Node[] = [];
	const actScale = new Map<string, number>();
	for (const name of names) {
		const { scale, zeroPoint } = uint8Params(ranges[name].min, ranges[name].max);
		actScale.set(name, scale);
		const s = fresh(`${name}_scale`);
		const z = fresh(`${name}_zero_point`);
		const q = fresh(`${name}_quantized`);
		const dq = fresh(`${name}_dequantized`);
		graph.initializers[s] = fromFloat32([scale], 'float32', [], s, 'initializer');
		graph.initializers[z] = fromFloat32([zeroPoint], 'uint8', [], z, 'initializer');
		for (const node of graph.nodes) node.inputs = node.inputs.map((i) => (i === name ? dq : i));
		added.push(
			{ name: fresh(`${name}_QuantizeLinear`), opType: 'QuantizeLinear', domain: '', inputs: [name, s, z], outputs: [q], attrs: {} },
			{ name: fresh(`${name}_DequantizeLinear`), opType: 'DequantizeLinear', domain: '', inputs: [q, s, z], outputs: [dq], attrs: {} }
		);
	}
	const rows: LayerRow[] = [];
	const weightDone = new Set<string>();
	for (const node of targets(out, options.keepFloat, options.depthwise)) {
		const w = floatInit(graph, node, 1)!;
		if (weightDone.has(w.name)) continue;
		weightDone.add(w.name);
		const axis = options.perChannel ? outputChannelAxis(node, w) : null;
		const values = readFloat32(w);
		const q = quantizeSymmetric(values, w.dims, axis);
		const scaleDims = axis === null ? [] : [w.dims[axis]];
		const [qn, sn, zn] = [fresh(`${w.name}_quantized`), fresh(`${w.name}_scale`), fresh(`${w.name}_zero_point`)];
		graph.initializers[qn] = adoptTensor(q.codes, w.dims, qn, w.origin);
		graph.initializers[sn] = fromFloat32(q.scales, 'float32', scaleDims, sn, 'initializer');
		graph.initializers[zn] = fromFloat32(new Float32Array(q.scales.length), 'int8', scaleDims, zn, 'initializer');
		const wdq = fresh(`${w.name}_dequantized`);
		added.push({ name: fresh(`${w.name}_DequantizeLinear`), opType: 'DequantizeLinear', domain: '', inputs: [qn, sn, zn], outputs: [wdq], attrs: axis === null ? {} : { axis: { type: 'int', value: axis } } });
		for (const n of graph.nodes) if (n.inputs[1] === w.name) n.inputs[1] = wdq;
		let bytesAfter = values.length + q.scales.length * 5;
		const bias = node.opType === 'Conv' ? floatInit(graph, node, 2) : undefined;
		const sx = actScale.get(names.find((n) => node.inputs[0] === `${n}_dequantized` || node.inputs[0] === n) ?? '') ?? 0;
		if (bias && sx > 0) {
			const b = readFloat32(bias);
			const bScales = Float32Array.from(b, (_, c) => sx * q.scales[q.scales.length === 1 ? 0 : c]);
			const [bq, bs, bz, bdq] = [fresh(`${bias.name}_quantized`), fresh(`${bias.name}_scale`), fresh(`${bias.name}_zero_point`), fresh(`${bias.name}_dequantized`)];
			graph.initializers[bq] = fromFloat32(Float32Array.from(b, (v, c) => v / bScales[c]), 'int32', bias.dims, bq, bias.origin);
			graph.initializers[bs] = fromFloat32(bScales, 'float32', [b.length], bs, 'initializer');
			graph.initializers[bz] = fromFloat32(new Float32Array(b.length), 'int32', [b.length], bz, 'initializer');
			added.push({ name: fresh(`${bias.name}_DequantizeLinear`), opType: 'DequantizeLinear', domain: '', inputs: [bq, bs, bz], outputs: [bdq], attrs: { axis: { type: 'int', value: 0 } } });
			node.inputs[2] = bdq;
			bytesAfter += b.length * 8;
		}
		rows.push({ node: node.name, opType: node.opType, tensor: w.name, elements: values.length, bytesBefore: w.data.byteLength, bytesAfter, sqnrDb: q.sqnrDb });
	}
	// Q/DQ nodes go right after their producer; a stable topological sort places them.
	graph.nodes = [...added, ...graph.nodes];
	const sorted = { ...out, graph: topoSort(graph) };
	pruneUnusedInitializers(sorted.graph);
	const skipped = options.depthwise ? [] : raised.graph.nodes.filter((n) => isDepthwise(raised, n) && !keptFloat(n, options.keepFloat))
		.map((n) => ({ node: n.name, reason: 'depthwise Conv kept float (onnxruntime-web\'s int8 depthwise kernel is slower than float)' }));
	const report = finishReport({ ...baseReport(options.perChannel ? 'int8-static-per-channel' : 'int8-static', model, sorted), rows, skipped }, model, sorted);
	report.notes.push(`${names.length} activation tensors calibrated (${options.method ?? 'minmax'})`);
	return { model: sorted, report };
}
