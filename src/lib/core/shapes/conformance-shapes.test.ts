/**
 * Shape inference against the ONNX backend conformance corpus: every graph output's inferred dtype
 * and shape must equal the expected output tensor's. Small inputs (≤ 64 elements: Reshape targets,
 * Slice starts, Resize scales, axes…) are handed over as input values, as the runtime would see them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../formats/onnx/import';
import { conformanceDir, readConformanceCase, readManifest } from '../../testing/conformance';
import { inferShapes } from './infer';

const dir = conformanceDir();
const FOLDABLE = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool', 'float32', 'float64']);
const passed: string[] = [];

if (!dir) {
	console.log('conformance-shapes: ../shared/onnx-conformance not found, skipping the corpus');
	it.skip('ONNX conformance corpus (absent)', () => {});
} else {
	const names = Object.keys(readManifest(dir)).sort();
	describe('shape inference on the ONNX conformance corpus', () => {
		it.each(names)('%s', (name) => {
			const c = readConformanceCase(dir, name);
			const model = importOnnx(c.model, `${name}.onnx`);
			const inputValues: Record<string, ArrayLike<number | bigint>> = {};
			for (const t of c.inputs) {
				if (FOLDABLE.has(t.dtype) && t.dims.reduce((a, b) => a * b, 1) <= 64) inputValues[t.name] = t.data as ArrayLike<number | bigint>;
			}
			const result = inferShapes(model, {}, { inputValues });
			expect(result.unsupported).toEqual([]);
			model.graph.outputs.forEach((out, i) => {
				const want = c.outputs[i];
				const got = result.values[out.name];
				expect({ name: out.name, dtype: got?.dtype, shape: got?.shape }).toEqual({ name: out.name, dtype: want.dtype, shape: want.dims });
			});
			passed.push(name);
		});
		afterAll(() => {
			console.log(`conformance-shapes: ${passed.length} of ${names.length} tests inferred every output's dtype and shape`);
		});
	});
}
