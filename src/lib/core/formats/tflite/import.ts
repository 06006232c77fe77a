/**
 * TFLite import: bytes of a `.tflite` flatbuffer → the IR `Model` with ONNX (opset 13) operators,
 * read with the `flatbuffers` library against TensorFlow's schema (see schema.ts).
 *
 * Decisions, so that an exported model computes what the TFLite interpreter computes:
 * - Layout: inputs and outputs keep TFLite's NHWC shapes; convolutions and pools run in NCHW between
 *   Transposes that are emitted only where a value changes layout (context.ts).
 * - Fused activations (Conv, Add, FullyConnected… `fused_activation_function`) become their own ops
 *   (Relu, Clip, Tanh) after the op.
 * - int8/uint8 models become QDQ graphs: quantized weights stay int8 initializers read through
 *   DequantizeLinear (per-channel scales with `axis`), quantized activations pass QuantizeLinear →
 *   DequantizeLinear. Every scale and zero point stays in the graph.
 * - IF becomes an ONNX If whose branches read the outer values the TFLite subgraph took as inputs.
 */
import type { Dim, Graph, Model, TensorInfo } from '../../ir/types';
import { validateGraph } from '../../ir/validate';
import { ModelFormatError, STILL_WORKS } from '../errors';
import { describeFileKind } from '../sniff';
import { SubgraphContext, UniqueNames, irDType, isQuantized } from './context';
import { FlatBufferRangeError } from './flat-table';
import { CONVERTERS } from './ops';
import { BUILTIN_OPS, type TfliteModel, readTfliteModel } from './schema';

const label = (fileName?: string) => (fileName ? `'${fileName}'` : 'The file');

/** True when bytes 4..8 hold the TFLite file identifier "TFL3". */
export function hasTfliteIdentifier(bytes: Uint8Array): boolean {
	return bytes.length >= 8 && bytes[4] === 0x54 && bytes[5] === 0x46 && bytes[6] === 0x4c && bytes[7] === 0x33;
}

/** `true` for the TFL3 identifier, `'maybe'` for a `.tflite` name with other bytes, else `false`. */
export function matchTflite(bytes: Uint8Array, fileName = ''): boolean | 'maybe' {
	if (hasTfliteIdentifier(bytes)) return true;
	return /\.tflite$/i.test(fileName) && !describeFileKind(bytes) ? 'maybe' : false;
}

function opName(model: TfliteModel, opcodeIndex: number): string {
	const code = model.operatorCodes[opcodeIndex];
	if (!code) return `operator code #${opcodeIndex}`;
	if (code.customCode) return `CUSTOM:${code.customCode}`;
	return BUILTIN_OPS[code.builtinCode] ?? `builtin operator ${code.builtinCode}`;
}

function tensorInfo(ctx: SubgraphContext, i: number, name: string, quantizedAsInt: boolean): TensorInfo {
	const t = ctx.tensor(i);
	const shapeSource = t.shapeSignature.length ? t.shapeSignature : t.shape;
	const symbol = name.replace(/[^A-Za-z0-9_]+/g, '_');
	const shape: Dim[] = shapeSource.map((d, k) => (d < 0 ? `${symbol}_d${k}` : d));
	const dtype = isQuantized(t) && !quantizedAsInt ? 'float32' : irDType(t);
	return { name, dtype, shape };
}

/**
 * Converts subgraph `index`. A branch (`outerInputs` given) binds its inputs to the outer values
 * and has none of its own, as an ONNX If branch reads the enclosing scope.
 */
function convertSubgraph(model: TfliteModel, index: number, names: UniqueNames, outerInputs?: string[]): Graph {
	const sub = model.subgraphs[index];
	if (!sub) throw new Error(`subgraph #${index} does not exist`);
	const ctx = new SubgraphContext(model, sub, names);
	const inputs: TensorInfo[] = [];
	sub.inputs.forEach((i, k) => {
		if (outerInputs) return ctx.bind(i, outerInputs[k]);
		const t = ctx.tensor(i);
		const name = ctx.base(i);
		inputs.push(tensorInfo(ctx, i, name, true));
		if (!isQuantized(t)) return ctx.bind(i, name);
		// A quantized input arrives as integers; the graph works on its real value.
		const q = t.quantization!;
		const scale = ctx.floats(`${name}/scale`, [q.scale[0]], []);
		const zpType = t.type === 'uint8' ? 'uint8' : 'int8';
		const zp = ctx.addConst(`${name}/zero_point`, zpType, [], new Uint8Array([q.zeroPoint[0] ?? 0]));
		const real = names.claim(`${name}/dequantized`);
		ctx.emit('DequantizeLinear', [name, scale, zp], [real]);
		ctx.bind(i, real);
	});
	for (const op of sub.operators) {
		const kind = opName(model, op.opcodeIndex);
		const outName = op.outputs.map((o) => ctx.tensor(o).name).join(', ');
		try {
			if (kind === 'IF') convertIf(ctx, op, names);
			else CONVERTERS[kind](ctx, op);
			ctx.flush();
		} catch (error) {
			if (error instanceof FlatBufferRangeError) throw error;
			throw new Error(`${kind} producing '${outName}' in subgraph '${sub.name || index}': ${(error as Error).message}`);
		}
	}
	const outputs = sub.outputs.map((i) => {
		if (!outerInputs && ctx.quantizedNames.has(i)) return tensorInfo(ctx, i, ctx.quantizedNames.get(i)!, true);
		let name = ctx.value(i);
		const local = ctx.nodes.some((n) => n.outputs.includes(name));
		if (outerInputs && !local) {
			// An If branch must produce its outputs itself, even when it passes a value through.
			const copy = names.claim(`${sub.name || 'branch'}/${ctx.tensor(i).name}`);
			ctx.emit('Identity', [name], [copy]);
			name = copy;
		}
		return tensorInfo(ctx, i, name, false);
	});
	return { name: sub.name || `subgraph_${index}`, nodes: ctx.nodes, inputs, outputs, initializers: ctx.initializers, valueInfo: {} };
}

function convertIf(ctx: SubgraphContext, op: Parameters<(typeof CONVERTERS)[string]>[1], names: UniqueNames): void {
	// IfOptions: then_subgraph_index 0, else_subgraph_index 1.
	const thenIndex = op.options?.int32(0) ?? -1;
	const elseIndex = op.options?.int32(1) ?? -1;
	const args = op.inputs.slice(1).map((i) => ctx.value(i));
	const thenBranch = convertSubgraph(ctx.model, thenIndex, names, args);
	const elseBranch = convertSubgraph(ctx.model, elseIndex, names, args);
	const outputs = op.outputs.map((o) => ctx.output(o));
	ctx.emit('If', [ctx.value(op.inputs[0])], outputs, {
		then_branch: { type: 'graph', value: thenBranch },
		else_branch: { type: 'graph', value: elseBranch }
	});
}

/** Every operator the importer cannot map, with how often it occurs (all subgraphs). */
function unsupportedOps(model: TfliteModel): string[] {
	const counts = new Map<string, number>();
	for (const sub of model.subgraphs) {
		for (const op of sub.operators) {
			const kind = opName(model, op.opcodeIndex);
			if (kind !== 'IF' && !CONVERTERS[kind]) counts.set(kind, (counts.get(kind) ?? 0) + 1);
		}
		for (const t of sub.tensors) if (t.sparse) counts.set(`sparse tensor '${t.name}'`, 1);
	}
	return [...counts].map(([kind, n]) => (n > 1 ? `${kind} (×${n})` : kind));
}

function truncated(bytes: Uint8Array, error: FlatBufferRangeError, fileName?: string): ModelFormatError {
	return new ModelFormatError('truncated', `${label(fileName)} ends before the TFLite model does (${bytes.length} bytes read; ${error.message}): it looks truncated, perhaps by an interrupted download or copy. Download it again. ${STILL_WORKS}`, fileName);
}

function readModel(bytes: Uint8Array, fileName?: string): TfliteModel {
	try {
		return readTfliteModel(bytes);
	} catch (error) {
		throw error instanceof FlatBufferRangeError ? truncated(bytes, error, fileName) : error;
	}
}

/**
 * Imports a TFLite model (float32, float16 weights, int8/uint8 with per-tensor or per-channel
 * quantization; the operators in ops.ts plus IF). Weight bytes may be views into `bytes`.
 * @param fileName used in error messages only.
 * @throws ModelFormatError with code 'empty', 'invalid', 'truncated' or 'unsupported'.
 */
export function importTflite(bytes: Uint8Array, fileName?: string): Model {
	if (bytes.byteLength === 0) {
		throw new ModelFormatError('empty', `${label(fileName)} is empty (0 bytes), so there is no model to read. ${STILL_WORKS}`, fileName);
	}
	if (!hasTfliteIdentifier(bytes)) {
		const kind = describeFileKind(bytes);
		throw new ModelFormatError('invalid', `${label(fileName)} is not a TFLite model: ${kind ? `it looks like ${kind}` : 'it lacks the "TFL3" file identifier at byte 4'}. ${STILL_WORKS}`, fileName);
	}
	const model = readModel(bytes, fileName);
	if (!model.subgraphs.length) throw new ModelFormatError('invalid', `${label(fileName)} holds no subgraph, so there is no model to run. ${STILL_WORKS}`, fileName);
	const missing = unsupportedOps(model);
	if (missing.length) {
		throw new ModelFormatError('unsupported', `${label(fileName)} uses TFLite operators Tightfit cannot map to ONNX yet: ${missing.join(', ')}. ${STILL_WORKS}`, fileName);
	}
	let graph: Graph;
	try {
		graph = convertSubgraph(model, 0, new UniqueNames());
	} catch (error) {
		if (error instanceof FlatBufferRangeError) throw truncated(bytes, error, fileName);
		throw new ModelFormatError('invalid', `${label(fileName)} could not be converted: ${(error as Error).message}. ${STILL_WORKS}`, fileName);
	}
	const issues = validateGraph(graph);
	if (issues.length) throw new ModelFormatError('invalid', `${label(fileName)} converts to a malformed graph: ${issues[0].message} ${STILL_WORKS}`, fileName);
	return {
		format: 'tflite',
		graph,
		irVersion: 8,
		opsetImports: [{ domain: '', version: 13 }],
		producerName: 'tightfit-tflite-import',
		producerVersion: String(model.version),
		...(model.description ? { docString: model.description } : {}),
		metadata: { tfliteSchemaVersion: String(model.version), tfliteDescription: model.description }
	};
}
