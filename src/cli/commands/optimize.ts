/**
 * `tightfit optimize <in.onnx> [--fuse [--fused-conv]] [--prune 0.5 --prune-mode unstructured|global|2:4|channels]
 * [--share 4] [--quantize fp16|int8-weight|int8-dynamic|int8-static] [--per-channel]
 * [--calibration minmax|percentile] [--calibration-input in.json] [--keep-float Conv,…] [--dims a=1]
 * -o out.onnx [--report out.json]`: runs the transform pipeline (fuse → prune → share → quantize),
 * writes the model and a JSON report with storage figures. int8-static calibrates in onnxruntime-web
 * (Node) on the --calibration-input file, else a zoo model's representative input, else seeded
 * uniform inputs with a warning (optimize-calibration.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { exportOnnx } from '../../lib/core/formats/onnx/export';
import { applyTransforms, type PruneMode, type QuantizeMode, type TransformOptions } from '../../lib/core/transforms/pipeline';
import { storageFigures } from '../../lib/core/transforms/storage';
import { parseArgs, parseAssignments } from '../args';
import type { CliIO, Command } from '../command';
import { usageError } from '../errors';
import { openModelFile } from '../model-file';
import { calibrationInputs, feedsRunner } from './optimize-calibration';

const QUANTIZE: QuantizeMode[] = ['none', 'fp16', 'int8-weight', 'int8-dynamic', 'int8-static'];
const PRUNE: PruneMode[] = ['unstructured', 'global', '2:4', 'channels'];

function number(value: string | undefined, what: string, lo: number, hi: number): number | undefined {
	if (value === undefined) return undefined;
	const n = Number(value);
	if (!Number.isFinite(n) || n < lo || n > hi) throw usageError(`bad ${what} '${value}': expected a number in ${lo}..${hi}`);
	return n;
}

export const optimizeCommand: Command = {
	name: 'optimize',
	summary: 'fuse, prune, share and quantize a model; write the result and a report',
	usage: 'tightfit optimize <in.onnx> [--fuse [--fused-conv]] [--prune F] [--prune-mode M] [--share B] [--quantize Q] [--per-channel] -o out.onnx [--report out.json]',
	details: [
		'--fuse                  fold BatchNorm and bias Adds, MatMul+Add → Gemm, drop Identity/Reshape chains',
		'--fused-conv            with --fuse: Conv + activation → com.microsoft FusedConv (runs in onnxruntime only)',
		'--prune F               magnitude pruning to sparsity F (0..1); channels: fraction of channels removed',
		'--prune-mode M          unstructured (per layer, default) | global | 2:4 | channels',
		'--share B               k-means weight sharing to 2^B values per tensor (B = 2..8)',
		'--quantize Q            none | fp16 | int8-weight | int8-dynamic | int8-static',
		'--per-channel           per-output-channel int8 scales',
		'--calibration C         minmax (default) | percentile, for int8-static',
		'--calibration-input F   JSON { input: { dims, data, dtype? } } to calibrate int8-static on (default: a zoo',
		'                        model\'s representative input, else seeded uniform values with a warning)',
		'--keep-float OPS        comma-separated op types left in float',
		'--dims a=1,b=2          symbolic dims (shape inference, calibration inputs)',
		'-o, --out FILE          the transformed model',
		'--report FILE           JSON: every step\'s report and the storage figures before and after'
	],
	async run(argv: string[], io: CliIO): Promise<number> {
		const args = parseArgs(argv.map((a) => (a === '-o' ? '--out' : a)), ['fuse', 'fused-conv', 'per-channel'], ['prune', 'prune-mode', 'share', 'quantize', 'calibration', 'calibration-input', 'keep-float', 'dims', 'out', 'report']);
		const opt = (name: string) => args.options.get(name)?.at(-1);
		const [input] = args.positional;
		if (!input) throw usageError('optimize needs an input model');
		const out = opt('out');
		if (!out) throw usageError('optimize needs -o out.onnx');
		const quantize = (opt('quantize') ?? 'none') as QuantizeMode;
		if (!QUANTIZE.includes(quantize)) throw usageError(`bad --quantize '${quantize}' (${QUANTIZE.join(', ')})`);
		const pruneMode = (opt('prune-mode') ?? 'unstructured') as PruneMode;
		if (!PRUNE.includes(pruneMode)) throw usageError(`bad --prune-mode '${pruneMode}' (${PRUNE.join(', ')})`);
		const dims = parseAssignments(args.options.get('dims') ?? [], '--dims');
		const options: TransformOptions = {
			fuse: args.flags.has('fuse'), fusedConv: args.flags.has('fused-conv') || undefined, prune: number(opt('prune'), '--prune', 0, 1), pruneMode, share: number(opt('share'), '--share', 2, 8),
			quantize, perChannel: args.flags.has('per-channel'), calibration: opt('calibration') === 'percentile' ? 'percentile' : 'minmax',
			keepFloat: opt('keep-float') ? { opTypes: opt('keep-float')!.split(',') } : undefined, dims
		};
		if (args.flags.has('fused-conv') && !options.fuse) throw usageError('--fused-conv needs --fuse');
		if (opt('calibration-input') && quantize !== 'int8-static') throw usageError('--calibration-input is for --quantize int8-static');
		const model = await openModelFile(input);
		const calibration = quantize === 'int8-static' ? await calibrationInputs(new Uint8Array(await readFile(input)), model, dims, opt('calibration-input')) : undefined;
		if (calibration?.warning) io.stderr(calibration.warning);
		const t0 = performance.now();
		const run = calibration ? await feedsRunner(calibration.feeds) : undefined;
		const result = await applyTransforms(model, options, { run });
		const bytes = exportOnnx(result.model);
		const ms = performance.now() - t0;
		await writeFile(out, bytes);
		const [before, after] = [await storageFigures(model), await storageFigures(result.model)];
		if (opt('report')) {
			const strip = ({ tensors, ...rest }: typeof before) => ({ ...rest, tensorCount: tensors.length });
			await writeFile(opt('report')!, JSON.stringify({ input, output: out, options, ...(calibration ? { calibration: calibration.source } : {}), milliseconds: ms, storageBefore: strip(before), storageAfter: strip(after), reports: result.reports }, null, 1));
		}
		io.stdout(`${out}: ${bytes.byteLength} bytes; weights dense ${before.denseBytes} → ${after.denseBytes}, sparse ${before.sparseBytes} → ${after.sparseBytes}, deflated ${before.compressedBytes} → ${after.compressedBytes} (${result.reports.map((r) => r.transform).join(' → ') || 'no transform'}${calibration ? `, calibrated on ${calibration.source}` : ''}, ${ms.toFixed(0)} ms)`);
		return 0;
	}
};
