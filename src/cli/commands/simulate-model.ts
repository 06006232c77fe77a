/**
 * `tightfit simulate <model.onnx>`: the ledger, the verdict under a memory ceiling and the latency and
 * energy estimates of one inference on a device profile; `--planner all` compares the planners.
 * `--workload file.json` belongs to workload simulation and is routed elsewhere (see `simulateCommand`).
 */
import { basename } from 'node:path';
import { deviceById, deviceProfiles, ramBytes } from '../../lib/core/devices/profiles';
import { estimateLatency } from '../../lib/core/devices/latency';
import { estimateEnergy } from '../../lib/core/devices/energy';
import type { DeviceProfile } from '../../lib/core/devices/types';
import { buildLedger, type Ledger } from '../../lib/core/memory/ledger';
import { chooseDims } from '../../lib/core/analysis/dims';
import { modelMemory, type ModelMemory } from '../../lib/core/memory/from-model';
import { planners } from '../../lib/core/memory/planners/index';
import { parseArgs, parseAssignments } from '../args';
import type { CliIO, Command } from '../command';
import { CliError, usageError } from '../errors';
import { simulateWorkloadCommand } from './simulate-workload';
import { existsSync } from 'node:fs';
import { openModelFile, openZooModel } from '../model-file';

const UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Parses '256KB', '1.5MiB', '4096' into bytes; KB and KiB both mean 1024 B, as MCU datasheets use them. */
export function parseBytes(text: string): number {
	const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
	const unit = UNITS[(m?.[2] || 'b').toLowerCase()];
	if (!m || unit === undefined) throw usageError(`bad --ceiling '${text}': expected a size such as 256KB, 2MB or 4096`);
	return Math.floor(Number(m[1]) * unit);
}

/** What `simulate` computes for one planner, as `--json` prints it. */
export interface SimulationReport {
	model: string;
	device: string;
	plannerId: string;
	ledger: Ledger;
	activationTier: string;
	latency: ReturnType<typeof estimateLatency>;
	energy: ReturnType<typeof estimateEnergy>;
	/** Time to read the weights from storage once at start-up (0 when they execute in place), seconds. */
	coldStartLoadSeconds: number;
}

/** Runs the ledger and estimates for one planner. Pure over its inputs. */
export function simulateModel(name: string, memory: ModelMemory, profile: DeviceProfile, plannerId: string, ceilingBytes: number): SimulationReport {
	const ledger = buildLedger({
		buffers: memory.buffers, weightBytes: memory.weightBytes, largestLayerWeightBytes: memory.largestLayerWeightBytes,
		weightedOps: memory.ops.filter((o) => o.weightBytes > 0).length, profile, plannerId, ceilingBytes, plannerOptions: { alignmentBytes: 16 }
	});
	const writable = profile.memoryTiers.filter((t) => !t.readOnly);
	const arenaTier = writable.find((t) => t.capacityBytes.value >= ledger.plan.arenaBytes) ?? writable[writable.length - 1];
	const flash = profile.memoryTiers.find((t) => t.readOnly);
	const placement = { weightTier: profile.executeInPlace.value && flash ? flash.id : writable[0].id, activationTier: arenaTier.id };
	const loadBytes = ledger.verdict.status === 'fits-streaming' ? memory.weightBytes : 0;
	const latency = estimateLatency(memory.ops, profile, { placement, loadBytes });
	const energy = estimateEnergy(memory.ops, profile, latency, { placement, loadBytes });
	const coldStartLoadSeconds = profile.executeInPlace.value ? 0 : profile.storage.latencySeconds.value + memory.weightBytes / profile.storage.readBandwidthBytesPerSecond.value;
	return { model: name, device: profile.id, plannerId, ledger, activationTier: arenaTier.id, latency, energy, coldStartLoadSeconds };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function formatReport(r: SimulationReport): string {
	const v = r.ledger.verdict;
	const verdict =
		v.status === 'fits' ? `fits (${kb(v.ramBytes)} of ${kb(v.ceilingBytes)}, ${kb(v.headroomBytes)} free)`
		: v.status === 'fits-streaming' ? `fits only by streaming weights (${kb(v.ramBytes)} of ${kb(v.ceilingBytes)}; +${(v.penaltySeconds * 1e3).toFixed(1)} ms per inference: ${v.basis})`
		: `does not fit (${kb(v.ramBytes)} > ${kb(v.ceilingBytes)}): ${v.reason}`;
	return [
		`${r.model} on ${r.device}, planner ${r.plannerId}`,
		'',
		'ledger:',
		...r.ledger.terms.map((t) => `  ${t.label.padEnd(34)} ${kb(t.bytes).padStart(14)}  ${t.kind}: ${t.basis}`),
		`  ${'total RAM'.padEnd(34)} ${kb(r.ledger.ramBytes).padStart(14)}`,
		'',
		`verdict: ${verdict}`,
		'',
		`latency: ${(r.latency.totalSeconds * 1e3).toFixed(3)} ms (activations in ${r.activationTier}; cold-start load ${(r.coldStartLoadSeconds * 1e3).toFixed(1)} ms)`,
		`  ${r.latency.formula}`,
		`energy: ${(r.energy.totalJoules * 1e3).toFixed(4)} mJ (static ${(r.energy.staticJoules * 1e3).toFixed(4)} mJ, compute ${(r.energy.computeJoules * 1e3).toFixed(4)} mJ, memory ${(r.energy.memoryJoules * 1e3).toFixed(4)} mJ)`,
		`  ${r.energy.formula}`,
		'constants:',
		...Object.entries({ ...r.latency.constants, ...r.energy.constants }).map(([k, f]) => `  ${k} = ${f.value.toPrecision(4)}  (${f.source ?? f.derivation})`)
	].join('\n');
}

const consoleIO: CliIO = { stdout: (t) => console.log(t), stderr: (t) => console.error(t) };

/**
 * `tightfit simulate <model.onnx> …` for one model (no workload); resolves to the exit status: 0, 2 for a
 * bad command line, 1 for a bad model file, each error as one `tightfit: …` line on stderr.
 */
export async function simulateModelCommand(argv: string[], io: CliIO = consoleIO): Promise<number> {
	try {
		return await runSimulateModel(argv, io);
	} catch (e) {
		if (!(e instanceof CliError)) throw e;
		io.stderr(`tightfit: ${e.message.replace(/\s*\n\s*/g, ' ')}`);
		return e.exitCode;
	}
}

async function runSimulateModel(argv: string[], io: CliIO): Promise<number> {
	const args = parseArgs(argv, ['json'], ['device', 'ceiling', 'planner', 'dims', 'input-value']);
	if (args.positional.length !== 1) throw usageError(`simulate takes one model file (usage: ${simulateCommand.usage})`);
	const deviceId = args.options.get('device')?.at(-1) ?? 'pi4';
	const profile = deviceById(deviceId);
	if (!profile) throw usageError(`unknown device '${deviceId}' (devices: ${deviceProfiles.map((p) => p.id).join(', ')})`);
	const plannerArg = args.options.get('planner')?.at(-1) ?? 'greedy-size';
	if (plannerArg !== 'all' && !planners.some((p) => p.id === plannerArg)) throw usageError(`unknown planner '${plannerArg}' (planners: ${planners.map((p) => p.id).join(', ')}, all)`);
	const ceilingArg = args.options.get('ceiling')?.at(-1);
	const ceilingBytes = ceilingArg === undefined ? ramBytes(profile) : parseBytes(ceilingArg);
	let dims = parseAssignments(args.options.get('dims') ?? [], '--dims');
	const values = parseAssignments(args.options.get('input-value') ?? [], '--input-value');
	const path = args.positional[0];
	// A name that is no file but a zoo id (ONNX or TF.js) opens that zoo model, with its default dims.
	const zoo = existsSync(path) ? undefined : await openZooModel(path);
	const model = zoo?.model ?? (await openModelFile(path));
	if (zoo) dims = { ...zoo.defaultDims, ...dims };
	// A symbolic dim with no value would leave its tensors at 0 bytes and the verdict meaningless.
	const unresolved = Object.entries(chooseDims(model.graph, dims)).filter(([, c]) => c.source === 'unresolved').map(([d]) => d);
	if (unresolved.length) throw usageError(`${basename(path)} has symbolic dims with no value: ${unresolved.join(', ')} (pass --dims ${unresolved.map((d) => `${d}=…`).join(',')})`);
	const memory = modelMemory(model, { dims, inputValues: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [v]])) });
	const ids = plannerArg === 'all' ? planners.map((p) => p.id) : [plannerArg];
	const reports = ids.map((id) => simulateModel(basename(path), memory, profile, id, ceilingBytes));
	if (args.flags.has('json')) io.stdout(JSON.stringify(plannerArg === 'all' ? reports : reports[0], null, 2));
	else if (plannerArg === 'all') {
		io.stdout(`${basename(path)} on ${profile.id}, ceiling ${kb(ceilingBytes)}`);
		for (const r of reports) io.stdout(`  ${r.plannerId.padEnd(18)} arena ${kb(r.ledger.plan.arenaBytes).padStart(14)}  total ${kb(r.ledger.ramBytes).padStart(14)}  ${r.ledger.verdict.status}`);
	} else io.stdout(formatReport(reports[0]));
	return 0;
}

/** Whether argv asks for workload simulation (`--workload file.json`), which another function handles. */
export function isWorkloadRequest(argv: readonly string[]): boolean {
	return argv.some((a) => a === '--workload' || a.startsWith('--workload='));
}

export const simulateCommand: Command = {
	name: 'simulate',
	summary: 'ledger, verdict under a memory ceiling, latency and energy of one inference on a device',
	usage: 'tightfit simulate <model.onnx|model.json|zoo-id> [--device pi4] [--ceiling 256KB] [--planner greedy-size|all] [--dims a=1] [--json]',
	details: [
		`--device ID            ${deviceProfiles.map((p) => p.id).join(', ')} (also pi4, m4, m7, esp32, nano, zero2w)`,
		'--ceiling SIZE         RAM ceiling (256KB, 2MB, bytes; KB = 1024 B); default: the device\'s RAM',
		`--planner ID|all       ${planners.map((p) => p.id).join(', ')}; all compares them`,
		'--dims a=1,b=2         values for symbolic dims',
		'--input-value sr=16000 a scalar graph input value to fold',
		'--json                 print the report as JSON'
	],
	async run(argv, io) {
		if (isWorkloadRequest(argv)) return simulateWorkloadCommand(argv, io);
		return simulateModelCommand(argv, io);
	}
};
