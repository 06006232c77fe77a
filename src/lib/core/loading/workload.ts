/**
 * Workloads: streams of tasks arriving over time, expanded into a deterministic task list for a seed.
 * A pipeline runs its stages in order (OCR: detect → classify → recognise); a batch is consecutive one-model
 * tasks all present at once; a Poisson stream has exponential inter-arrival times at a rate.
 */
import type { TaskSpec } from './types';

export type ArrivalSpec =
	/** `count` passes through `stages`, one every `periodMs` (0: all at `startMs`). */
	| { kind: 'pipeline'; stages: string[]; count: number; periodMs?: number }
	/** `count` tasks cycling through `models`, one model each, all arriving at `startMs`. */
	| { kind: 'batch'; models: string[]; count: number }
	/** `count` tasks at `ratePerSecond`: each runs `stages` in order, or one of `models` picked at random. */
	| { kind: 'poisson'; ratePerSecond: number; count: number; stages?: string[]; models?: string[] };

export type StreamSpec = ArrivalSpec & {
	name?: string;
	startMs?: number;
	/** Relative deadline: each task must finish within this many ms of its arrival. */
	deadlineMs?: number;
	priority?: number;
};

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). Same seed, same sequence, on every platform. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Expands streams into tasks, sorted by arrival (ties: stream order, then index). Deterministic for a seed. */
export function expandWorkload(streams: StreamSpec[], seed = 1): TaskSpec[] {
	const random = mulberry32(seed);
	const tasks: TaskSpec[] = [];
	streams.forEach((stream, s) => {
		const name = stream.name ?? `${stream.kind}-${s}`;
		const start = stream.startMs ?? 0;
		const make = (i: number, arrivalMs: number, stages: string[]): TaskSpec => ({
			id: `${name}#${i}`,
			stream: name,
			arrivalMs,
			stages,
			priority: stream.priority ?? 0,
			...(stream.deadlineMs !== undefined ? { deadlineMs: arrivalMs + stream.deadlineMs } : {})
		});
		if (stream.kind === 'pipeline') {
			for (let i = 0; i < stream.count; i++) tasks.push(make(i, start + i * (stream.periodMs ?? 0), [...stream.stages]));
		} else if (stream.kind === 'batch') {
			for (let i = 0; i < stream.count; i++) tasks.push(make(i, start, [stream.models[i % stream.models.length]]));
		} else {
			if (!(stream.ratePerSecond > 0)) throw new Error(`stream "${name}": ratePerSecond must be > 0`);
			let t = start;
			for (let i = 0; i < stream.count; i++) {
				// Inverse-CDF sampling of the exponential; 1 − u keeps the log finite.
				t += (-Math.log(1 - random()) / stream.ratePerSecond) * 1000;
				const stages = stream.stages ?? [pick(stream.models ?? [], random, name)];
				tasks.push(make(i, t, [...stages]));
			}
		}
	});
	return tasks
		.map((task, order) => ({ task, order }))
		.sort((a, b) => a.task.arrivalMs - b.task.arrivalMs || a.order - b.order)
		.map(({ task }) => task);
}

function pick(models: string[], random: () => number, name: string): string {
	if (models.length === 0) throw new Error(`stream "${name}": a Poisson stream needs stages or models`);
	return models[Math.floor(random() * models.length)];
}

/** Model ids a set of streams names, in first-use order. */
export function modelsNamed(streams: StreamSpec[]): string[] {
	const ids = new Set<string>();
	for (const s of streams) {
		const list = s.kind === 'batch' ? s.models : s.kind === 'pipeline' ? s.stages : (s.stages ?? s.models ?? []);
		for (const id of list) ids.add(id);
	}
	return [...ids];
}
