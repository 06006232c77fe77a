/**
 * TF.js's own weight quantization, as `tensorflowjs_converter --quantize_{uint8,uint16,float16}` writes it:
 * float32 weights stored as affine uint8/uint16 per tensor (`q · scale + min`) or as float16, dequantized
 * to float32 when TF.js loads them. Storage shrinks; memory after load does not.
 */
import { float32ToFloat16 } from '../../ir/half';
import { decodeWeights, parseModelJson, type NamedFile, type WeightSpec } from './model-json';
import { findModelJson } from './import';

export type TfjsWeightQuantization = 'none' | 'uint8' | 'uint16' | 'float16';

/**
 * A copy of a TF.js model's files (model.json + one shard) with every float32 weight stored as `dtype`.
 * Int32 and bool weights stay as they are. 'none' re-encodes to float32 (dequantizing a quantized model).
 */
export function quantizeTfjsFiles(files: NamedFile[], dtype: TfjsWeightQuantization): NamedFile[] {
	const main = findModelJson(files);
	if (!main) throw new Error('No TF.js model.json among the files');
	const json = parseModelJson(main.bytes, main.name);
	const weights = decodeWeights(json, files, main.name);
	const parts: Uint8Array[] = [];
	const specs: WeightSpec[] = [];
	for (const group of json.weightsManifest) {
		for (const spec of group.weights) {
			const w = weights.get(spec.name)!;
			const base: WeightSpec = { name: spec.name, shape: spec.shape, dtype: w.dtype };
			if (w.dtype !== 'float32' || dtype === 'none') {
				const v = w.values;
				parts.push(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength)));
				specs.push(base);
			} else if (dtype === 'float16') {
				parts.push(new Uint8Array(Uint16Array.from(w.values as Float32Array, float32ToFloat16).buffer));
				specs.push({ ...base, quantization: { dtype } });
			} else {
				const v = w.values as Float32Array;
				let min = Infinity;
				let max = -Infinity;
				for (const x of v) {
					min = Math.min(min, x);
					max = Math.max(max, x);
				}
				const levels = dtype === 'uint8' ? 255 : 65535;
				const scale = (max - min) / levels || 1;
				const q = Array.from(v, (x) => Math.round((x - min) / scale));
				parts.push(new Uint8Array((dtype === 'uint8' ? Uint8Array.from(q) : Uint16Array.from(q)).buffer));
				specs.push({ ...base, quantization: { dtype, scale, min, original_dtype: 'float32' } });
			}
		}
	}
	const shard = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
	parts.reduce((at, p) => (shard.set(p, at), at + p.length), 0);
	const name = 'group1-shard1of1.bin';
	const out = { ...json, weightsManifest: [{ paths: [name], weights: specs }] };
	return [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(out)) }, { name, bytes: shard }];
}
