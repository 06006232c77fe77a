/**
 * `tightfit tile <model.onnx> --layers 0..15 --grid 3x3 --devices 5 --device pi3 --link 100Mbit`:
 * fused tile partitioning of a CNN's early layers (from layer 0, or `--layers 2..9`) over one or several
 * devices, alike or not (`--device pi3,pi3,pi4`) — peak activation
 * memory per device, extra MACs from halo overlap, bytes sent, modelled latency; `--sweep` tries
 * depths × grids 1×1..5×5 and picks the configuration that fits `--ceiling`.
 */
import { basename } from 'node:path';
import { deviceById, deviceProfiles } from '../../lib/core/devices/profiles';
import type { DeviceProfile } from '../../lib/core/devices/types';
import type { Model } from '../../lib/core/ir/types';
import { evaluateTiling, type TilingReport } from '../../lib/core/tiling/evaluate';
import { parseGrid, type Grid } from '../../lib/core/tiling/partition';
import { REFERENCE_NET_LABEL, yolov2TinyReference } from '../../lib/core/tiling/reference-net';
import { ASSIGNMENTS, type Assignment, type ScheduleOptions } from '../../lib/core/tiling/schedule';
import { fusedStack, type StackOptions } from '../../lib/core/tiling/stack';
import { sweepTiling, type SweepResult } from '../../lib/core/tiling/sweep';
import { parseArgs, parseAssignments } from '../args';
import type { CliIO, Command } from '../command';
import { CliError, inputError, usageError } from '../errors';
import { parseBytes } from './simulate-model';
import { openModelFile } from '../model-file';

/** Link speeds: bits per second with k/M/G (decimal, as network rates are quoted) or bytes per second (B/s, KB/s, MB/s). */
export function parseLink(text: string): number {
	const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(bit|bps|bit\/s|b\/s)\s*$/i.exec(text);
	if (!m) throw usageError(`bad --link '${text}': expected a rate such as 100Mbit, 54Mbps, 1Gbit or 12.5MB/s`);
	const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
	const bytesUnit = m[3] === 'B/s';
	const rate = Number(m[1]) * scale * (bytesUnit ? 1 : 1 / 8);
	if (!(rate > 0)) throw usageError(`bad --link '${text}': the rate must be positive`);
	return rate;
}

/** '2..9' (Darknet-style inclusive indices from the input) → layers 2 to 9: from 2, 8 layers; '15' → 0..15. */
export function parseLayers(text: string): { from: number; layers: number } {
	const m = /^\s*(?:(\d+)\s*\.\.\s*)?(\d+)\s*$/.exec(text);
	if (!m) throw usageError(`bad --layers '${text}': expected a range such as 0..15 or 2..9`);
	const from = Number(m[1] ?? 0);
	const last = Number(m[2]);
	if (last < from) throw usageError(`bad --layers '${text}': the last layer comes before the first`);
	return { from, layers: last - from + 1 };
}

/**
 * `--device pi3` (every device) or `--device pi3,pi3,pi4` (one per device; K from the list unless `--devices`
 * says the same). Returns the profile of each device.
 */
export function parseDevices(deviceText: string, devicesText: string | undefined): DeviceProfile[] {
	const ids = deviceText.split(',').map((s) => s.trim());
	const profiles = ids.map((id) => {
		const p = deviceById(id);
		if (!p) throw usageError(`unknown device '${id}' (devices: ${deviceProfiles.map((q) => q.id).join(', ')})`);
		return p;
	});
	const devices = devicesText === undefined ? profiles.length : Number(devicesText);
	if (!Number.isInteger(devices) || devices < 1) throw usageError(`bad --devices '${devicesText}': expected a positive integer`);
	if (profiles.length === 1) return new Array<DeviceProfile>(devices).fill(profiles[0]);
	if (profiles.length !== devices) throw usageError(`--device lists ${profiles.length} profiles but --devices is ${devices}: give one profile, or one per device`);
	return profiles;
}

function option(args: ReturnType<typeof parseArgs>, name: string): string | undefined {
	return args.options.get(name)?.at(-1);
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const ms = (seconds: number) => `${(seconds * 1e3).toFixed(1)} ms`;

function formatReport(name: string, r: TilingReport): string {
	const t = r.tiled;
	const same = r.deviceIds.every((id) => id === r.deviceIds[0]);
	const devices = same ? `${r.devices} × ${r.deviceIds[0]}` : r.deviceIds.join(', ');
	const range = r.first ? `layers ${r.first}..${r.first + r.layers - 1} (${r.layers} fused)` : `${r.layers} fused layers`;
	const lines = [
		`${name}: ${range}, input [${r.inputShape.join(',')}] → '${r.output}' [${r.outputShape.join(',')}]`,
		`grid ${r.grid.rows}×${r.grid.cols} on ${devices}${r.gateway ? ' + gateway' : ''}, link ${(r.linkBytesPerSecond * 8 / 1e6).toFixed(1)} Mbit/s, ${r.assign} (modelled)`,
		`                       untiled        tiled`,
		`peak per device  ${mb(r.untiled.peakBytes).padStart(14)} ${mb(t.maxPeakBytes).padStart(12)}   (${t.memoryReduction.toFixed(2)}× less; per device ${t.peakBytesPerDevice.map(mb).join(', ')})`,
		`MACs             ${r.untiled.macs.toExponential(3).padStart(14)} ${t.macs.toExponential(3).padStart(12)}   (+${(t.extraMacsRatio * 100).toFixed(1)}% from halo overlap)`,
		`latency          ${ms(r.untiled.latencySeconds).padStart(14)} ${ms(t.latencySeconds).padStart(12)}   (link busy ${ms(t.linkBusySeconds)})`,
		`bytes sent       ${'0'.padStart(14)} ${mb(t.bytesSent).padStart(12)}`,
		`weights held by every device: ${mb(r.weightBytes)}`
	];
	if (!same) {
		lines.push(`per device: ${r.deviceIds.map((id, d) => `${id} ${r.tiles.filter((x) => x.device === d).length} tiles, compute ${ms(t.computeSecondsPerDevice[d])}, link ${ms(t.transferSecondsPerDevice[d])}, done ${ms(t.finishSecondsPerDevice[d])}`).join('; ')}`);
	}
	const over = r.deviceIds.flatMap((id, d) => (r.fitsPerDevice[d] ? [] : [`#${d + 1} ${id} (${mb(t.peakBytesPerDevice[d] + r.weightBytes)} > ${mb(r.ramBytesPerDevice[d])} RAM)`]));
	if (over.length) lines.push(`does not fit: ${over.join(', ')}`);
	const g = r.gatewayCost;
	if (g) lines.push(`gateway ${g.deviceId}: input + output map ${mb(g.inputMapBytes)} + ${mb(g.outputMapBytes)}, peak ${mb(g.peakBytes)} ${g.fits ? '≤' : '>'} ${mb(g.ramBytes)} RAM${g.fits ? '' : ' (does not fit)'}; merge ${mb(g.mergeBytes)} at ${g.tier} bandwidth ${ms(g.mergeSeconds)} (in the tiled latency)`);
	if (r.prefix) lines.push(`layers 0..${r.first - 1} run untiled first on the source: peak ${mb(r.prefix.peakBytes)}, ${r.prefix.macs.toExponential(3)} MACs, ${ms(r.prefix.latencySeconds)} on ${r.deviceId} (not in either latency)`);
	return lines.join('\n');
}

function formatSweep(result: SweepResult, ceiling: number | undefined): string {
	const lines = ['layers  grid   peak/device        +MACs   latency     sent        fits'];
	for (const p of result.points) {
		lines.push(`${String(p.layers).padStart(6)}  ${`${p.grid.rows}×${p.grid.cols}`.padEnd(5)} ${mb(p.maxPeakBytes).padStart(12)} ${`${(p.extraMacsRatio * 100).toFixed(1)}%`.padStart(11)} ${ms(p.latencySeconds).padStart(9)} ${mb(p.bytesSent).padStart(12)}  ${ceiling === undefined ? '-' : p.fits ? 'yes' : 'no'}`);
	}
	if (ceiling !== undefined) {
		const c = result.choice;
		lines.push(c ? `choice under ${mb(ceiling)}: ${c.layers} layers, ${c.grid.rows}×${c.grid.cols} (${result.rule})` : `nothing fits under ${mb(ceiling)}`);
	}
	return lines.join('\n');
}

async function runTile(argv: string[], io: CliIO): Promise<number> {
	const args = parseArgs(argv, ['json', 'gateway', 'sweep'], ['reference', 'input-size', 'layers', 'grid', 'devices', 'device', 'link', 'assign', 'dims', 'input-shape', 'ceiling']);
	const reference = option(args, 'reference');
	if ((reference === undefined) === (args.positional.length !== 1) || args.positional.length > 1) throw usageError(`tile takes one model file or --reference yolov2-tiny (usage: ${tileCliCommand.usage})`);
	if (reference !== undefined && reference !== 'yolov2-tiny') throw usageError(`unknown reference network '${reference}' (available: yolov2-tiny)`);
	const profiles = parseDevices(option(args, 'device') ?? 'pi3', option(args, 'devices'));
	const devices = profiles.length;
	const profile = profiles[0];
	const assignText = option(args, 'assign');
	if (assignText !== undefined && !(ASSIGNMENTS as readonly string[]).includes(assignText)) throw usageError(`bad --assign '${assignText}': ${ASSIGNMENTS.join(', ')}`);
	const assign = assignText as Assignment | undefined;
	let grid: Grid;
	try {
		grid = parseGrid(option(args, 'grid') ?? '3x3');
	} catch (e) {
		throw usageError((e as Error).message);
	}
	const schedule: ScheduleOptions = {
		devices, profile, profiles, linkBytesPerSecond: parseLink(option(args, 'link') ?? '100Mbit'), gateway: args.flags.has('gateway'), ...(assign ? { assign } : {})
	};
	const ceiling = option(args, 'ceiling') === undefined ? undefined : parseBytes(option(args, 'ceiling')!);
	const inputShapeText = option(args, 'input-shape');
	const inputShape = inputShapeText?.split(',').map(Number);
	if (inputShape && (inputShape.length !== 4 || !inputShape.every((d) => Number.isInteger(d) && d > 0))) throw usageError(`bad --input-shape '${inputShapeText}': expected N,C,H,W such as 1,3,160,160`);
	let model: Model;
	if (reference) {
		const size = Number(option(args, 'input-size') ?? '416');
		try {
			model = yolov2TinyReference({ inputSize: size });
		} catch (e) {
			throw usageError((e as Error).message);
		}
	} else model = await openModelFile(args.positional[0]);
	const name = reference ? `yolov2-tiny reference (${REFERENCE_NET_LABEL})` : basename(args.positional[0]);
	const stackOptions: StackOptions = { dims: parseAssignments(args.options.get('dims') ?? [], '--dims'), ...(inputShape ? { inputShape } : {}) };
	const layersText = option(args, 'layers');
	const range = layersText === undefined ? undefined : parseLayers(layersText);
	if (range?.from) stackOptions.from = range.from;
	try {
		if (args.flags.has('sweep')) {
			const result = sweepTiling(model, { ...schedule, ...(ceiling !== undefined ? { ceilingBytes: ceiling } : {}), stack: stackOptions, ...(range ? { depths: Array.from({ length: range.layers }, (_, i) => i + 1) } : {}) });
			io.stdout(args.flags.has('json') ? JSON.stringify({ model: name, from: range?.from ?? 0, ...result }, null, 2) : formatSweep(result, ceiling));
			return 0;
		}
		const stack = fusedStack(model, { ...stackOptions, ...(range ? { layers: range.layers } : {}) });
		const report = evaluateTiling(stack, grid, schedule);
		const stopped = stack.stoppedAt && { stoppedAt: stack.stoppedAt };
		if (args.flags.has('json')) io.stdout(JSON.stringify({ model: name, ...report, ...stopped }, null, 2));
		else {
			io.stdout(formatReport(name, report));
			if (stack.stoppedAt) io.stdout(`stack ends before ${stack.stoppedAt.opType} '${stack.stoppedAt.node}': ${stack.stoppedAt.reason}`);
		}
		return 0;
	} catch (e) {
		if (e instanceof CliError) throw e;
		const message = (e as Error).message;
		throw inputError(/numeric NCHW shape/.test(message) ? `${message} (--input-shape 1,3,H,W or --dims name=value)` : message);
	}
}

const consoleIO: CliIO = { stdout: (t) => console.log(t), stderr: (t) => console.error(t) };

/** Runs `tightfit tile …`; resolves to 0, 2 for a bad command line, 1 for a bad model, errors as one `tightfit: …` line. */
export async function tileCommand(argv: string[], io: CliIO = consoleIO): Promise<number> {
	try {
		return await runTile(argv, io);
	} catch (e) {
		if (!(e instanceof CliError)) throw e;
		io.stderr(`tightfit: ${e.message.replace(/\s*\n\s*/g, ' ')}`);
		return e.exitCode;
	}
}

export const tileCliCommand: Command = {
	name: 'tile',
	summary: 'fused tile partitioning of the first CNN layers over devices: peak per device, extra MACs, traffic, latency',
	usage: 'tightfit tile <model.onnx | --reference yolov2-tiny> [--layers 0..15] [--grid 3x3] [--devices 5] [--device pi3[,pi4…]] [--link 100Mbit] [--json]',
	details: [
		'--reference yolov2-tiny  the built-in YOLOv2-tiny-class network (' + REFERENCE_NET_LABEL + ')',
		'--input-size 416         its input size (a multiple of 32)',
		'--layers 0..15           window layers (Conv/MaxPool/AveragePool) to fuse, counted from the input; default: all fusable.',
		'                         2..9 starts at layer 2: layers 0..1 run untiled and the tiles cover the map layer 2 reads',
		'--grid 3x3               tiles over the last fused layer\'s output',
		'--devices 5              devices computing tiles (default 1, or the length of a --device list)',
		`--device ID[,ID…]        ${deviceProfiles.map((p) => p.id).join(', ')} (default pi3); one per device, e.g. pi3,pi3,pi4`,
		'--link 100Mbit           shared link rate (Mbit, Gbit, Mbps, MB/s)',
		'--gateway                a separate gateway holds the input and merges outputs',
		'--assign MODE            round-robin (default for alike devices), greedy (largest tile to the device whose compute',
		'                         ends first) or eft (the same with transfers; default when --device lists different profiles)',
		'--dims a=1 / --input-shape 1,3,160,160   sizes for symbolic input dims',
		'--sweep [--ceiling 8MB]  every depth × grid 1×1..5×5, and the choice that fits the ceiling',
		'--json                   print the report as JSON'
	],
	run: (argv, io) => tileCommand(argv, io)
};
