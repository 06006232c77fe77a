/**
 * Memory-planning benchmark: time of every planner + the estimates on the largest zoo model (median
 * over runs), and each planner's arena against the lower bound for every zoo model.
 * Run: node --import tsx bench/memory.ts
 */
import { readFileSync } from 'node:fs';
import { openModel } from '../src/lib/core/formats/registry';
import { modelMemory } from '../src/lib/core/memory/from-model';
import { lowerBound, planners } from '../src/lib/core/memory/planners/index';
import { estimateLatency } from '../src/lib/core/devices/latency';
import { estimateEnergy } from '../src/lib/core/devices/energy';
import { pi4_2gb } from '../src/lib/core/devices/profiles';

const RUNS = 15;
const manifest = JSON.parse(readFileSync('models/manifest.json', 'utf8')) as {
	models: { id: string; defaultDims: Record<string, number>; source: { package: string; path: string } }[];
};

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
	const times: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t = performance.now();
		fn();
		times.push(performance.now() - t);
	}
	return median(times);
}

const loaded = manifest.models.map((entry) => {
	const path = `node_modules/${entry.source.package}/${entry.source.path}`;
	const bytes = readFileSync(path);
	return { entry, bytes: bytes.length, memory: modelMemory(openModel(new Uint8Array(bytes), path), { dims: entry.defaultDims }) };
});

const largest = loaded.reduce((a, b) => (b.bytes > a.bytes ? b : a));
console.log(`## Planner time on the largest zoo model: ${largest.entry.id} (${largest.memory.buffers.length} buffers, ${largest.memory.ops.length} ops), median of ${RUNS}\n`);
console.log('| planner | ms |\n|---|---:|');
let total = 0;
for (const p of planners) {
	const ms = time(() => p.plan(largest.memory.buffers, { alignmentBytes: 16 }));
	total += ms;
	console.log(`| ${p.id} | ${ms.toFixed(2)} |`);
}
const estimateMs = time(() => {
	const l = estimateLatency(largest.memory.ops, pi4_2gb);
	estimateEnergy(largest.memory.ops, pi4_2gb, l);
});
console.log(`| latency + energy estimate (pi4-2gb) | ${estimateMs.toFixed(2)} |`);
console.log(`| **all planners + estimate** | **${(total + estimateMs).toFixed(2)}** |\n`);

console.log('## Arena bytes per planner vs the lower bound (alignment 16 B, I/O included)\n');
const ids = planners.filter((p) => p.kind === 'planner').map((p) => p.id);
console.log(`| model | lower bound | ${ids.join(' | ')} |\n|---|---:|${ids.map(() => '---:').join('|')}|`);
for (const { entry, memory } of loaded) {
	const bound = lowerBound(memory.buffers).arenaBytes;
	const cells = ids.map((id) => {
		const bytes = planners.find((p) => p.id === id)!.plan(memory.buffers, { alignmentBytes: 16 }).arenaBytes;
		return `${bytes.toLocaleString('en')} (${(bytes / bound).toFixed(2)}×)`;
	});
	console.log(`| ${entry.id} | ${bound.toLocaleString('en')} | ${cells.join(' | ')} |`);
}
