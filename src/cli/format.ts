import type { Dim } from '../lib/core/ir/types';
import type { ModelSummary } from '../lib/core/analysis/summary';

const shape = (s: Dim[] | null) => (s ? `[${s.join(', ')}]` : '[?]');
const int = (n: number) => n.toLocaleString('en-US');

/** Bytes in binary units with the exact count, e.g. "4.47 MiB (4,687,364 B)". */
export function bytes(n: number): string {
	const units = ['B', 'KiB', 'MiB', 'GiB'];
	let v = n;
	let u = 0;
	while (v >= 1024 && u < units.length - 1) {
		v /= 1024;
		u++;
	}
	return u === 0 ? `${n} B` : `${v.toFixed(2)} ${units[u]} (${int(n)} B)`;
}

function table(rows: [string, string][]): string {
	const width = Math.max(...rows.map(([k]) => k.length));
	return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** The readable form of a summary that `tightfit analyze` prints without --json. */
export function formatSummary(file: string, s: ModelSummary): string {
	const rows: [string, string][] = [
		['model', file],
		['opset / IR', `${s.opset} / ${s.irVersion}${s.producer ? ` (${s.producer})` : ''}`],
		['nodes', `${int(s.nodes)} (+ ${int(s.constantWeights)} Constant nodes counted as weights)`],
		['params', int(s.params)],
		['weight bytes', bytes(s.weightBytes)],
		...Object.entries(s.weightBytesByDtype).map(([d, b]): [string, string] => [`  ${d}`, bytes(b ?? 0)]),
		['MACs', int(s.macs)],
		['tensors', int(s.tensors)],
		...s.inputs.map((t): [string, string] => ['input', `${t.name}: ${t.dtype}${shape(t.shape)}`]),
		...s.outputs.map((t): [string, string] => ['output', `${t.name}: ${t.dtype}${shape(t.shape)}`]),
		['largest activation', s.largestActivation ? `${s.largestActivation.name} ${shape(s.largestActivation.shape)}, ${bytes(s.largestActivation.bytes)}` : '-'],
		['peak live activations', `${bytes(s.peakLiveActivationBytes)} at step ${s.peakLiveStep} (${s.peakLiveNode || '-'}), no reuse`],
		...Object.entries(s.dims).map(([name, c]): [string, string] => [`dim ${name}`, c.value === null ? 'unresolved (pass --dims)' : `${c.value}${c.source === 'default' ? ' (default)' : ''}`]),
		...s.branches.map((b): [string, string] => ['If', `${b.node}: ${b.branch} (${b.reason})`])
	];
	const ops = Object.entries(s.opCounts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
	const lines = [table(rows), '', 'operators', table(ops.map(([op, n]) => [`  ${op}`, int(n)]))];
	if (s.unsupported.length > 0) {
		lines.push('', `unsupported (${s.unsupported.length}): shapes after these nodes are unknown`);
		for (const u of s.unsupported) lines.push(`  ${u.opType} ${u.node}: ${u.message}`);
	}
	return lines.join('\n');
}
