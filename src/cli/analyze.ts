import { analyze } from '../lib/core/analysis/summary';
import { parseArgs, parseAssignments } from './args';
import { usageError } from './errors';
import { formatSummary } from './format';
import type { Command } from './command';
import { openModelFile } from './model-file';

export const analyzeCommand: Command = {
	name: 'analyze',
	summary: 'print a model summary: operators, parameters, weight bytes, MACs, shapes, peak activation bytes',
	usage: 'tightfit analyze <model.onnx|model.json> [--json] [--dims name=value,...] [--input-value name=value,...]',
	details: [
		'--json                 print the summary as JSON (nodes, opCounts, params, weightBytes, macs, inputs,',
		'                       outputs, peakLiveActivationBytes, layers, ...)',
		'--dims a=1,b=2         values for symbolic dims (repeatable); batch-like dims default to 1',
		'--input-value sr=16000 a scalar graph input value to fold (e.g. Silero VAD\'s sample rate)'
	],
	async run(argv, io) {
		const args = parseArgs(argv, ['json'], ['dims', 'input-value']);
		if (args.positional.length !== 1) throw usageError(`analyze takes one model file (usage: ${this.usage})`);
		const dims = parseAssignments(args.options.get('dims') ?? [], '--dims');
		const values = parseAssignments(args.options.get('input-value') ?? [], '--input-value');
		const path = args.positional[0];
		const model = await openModelFile(path);
		const inputValues = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [v]]));
		const summary = analyze(model, { dims, inputValues });
		io.stdout(args.flags.has('json') ? JSON.stringify(summary, null, 2) : formatSummary(path, summary));
		return 0;
	}
};
