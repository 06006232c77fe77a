/**
 * Runs fuzz cases in a worker thread with a watchdog (Node only): a case the worker does not answer
 * within `hangMs` is a hang, and a worker that dies (out of memory, stack) is a crash; either way the
 * case is recorded as a failure, the worker is replaced and the run goes on with the next case.
 */
import { Worker } from 'node:worker_threads';
import type { TargetOutcome } from '../harness';
import type { WorkerData, WorkerReply } from './protocol';

export interface FuzzOptions {
	root: string;
	runSeed: number;
	cases: number;
	/** First case index (default 0: the unmutated seeds come first). */
	start?: number;
	seedPaths?: readonly string[];
	/** Per target, in ms (default 2000). */
	timeBudgetMs?: number;
	/** A case unanswered this long is a hang, in ms (default 15000). */
	hangMs?: number;
	/** Heap limit of the worker, in MiB (default 2048). */
	maxHeapMb?: number;
	onCase?: (reply: WorkerReply) => void;
}

export interface FuzzFailure {
	index: number;
	seed: string;
	mutations: string[];
	target: string;
	stage: string;
	message: string;
	elapsedMs: number;
}

export interface TargetCounts {
	cases: number;
	graph: number;
	typedError: number;
	failure: number;
}

export interface FuzzReport {
	runSeed: number;
	cases: number;
	byTarget: Record<string, TargetCounts>;
	failures: FuzzFailure[];
	slowest: { index: number; seed: string; mutations: string[]; target: string; elapsedMs: number } | null;
	wallMs: number;
}

const WORKER_BOOT = `
import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); });
`;

function startWorker(data: WorkerData, maxHeapMb: number): Promise<Worker> {
	const worker = new Worker(WORKER_BOOT, { eval: true, workerData: data, resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } });
	return new Promise((resolve, reject) => {
		worker.once('message', () => resolve(worker));
		worker.once('error', reject);
	});
}

/** Asks the worker for one case; settles with its reply or with why none came. */
function ask(worker: Worker, index: number, hangMs: number): Promise<WorkerReply | { dead: string }> {
	return new Promise((resolve) => {
		const done = (value: WorkerReply | { dead: string }) => {
			clearTimeout(timer);
			worker.off('message', onMessage).off('error', onError).off('exit', onExit);
			resolve(value);
		};
		const onMessage = (reply: WorkerReply) => done(reply);
		const onError = (error: Error) => done({ dead: `worker died: ${error.message}` });
		const onExit = (code: number) => done({ dead: `worker exited with code ${code}` });
		const timer = setTimeout(() => done({ dead: `no answer within ${hangMs} ms (hang)` }), hangMs);
		worker.on('message', onMessage).on('error', onError).on('exit', onExit);
		worker.postMessage(index);
	});
}

/** Runs cases [start, start + cases) and tallies them per target. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
	const data: WorkerData = { root: options.root, seedPaths: options.seedPaths, runSeed: options.runSeed, timeBudgetMs: options.timeBudgetMs ?? 2000 };
	const hangMs = options.hangMs ?? 15_000;
	const maxHeapMb = options.maxHeapMb ?? 2048;
	const began = performance.now();
	const report: FuzzReport = { runSeed: options.runSeed, cases: 0, byTarget: {}, failures: [], slowest: null, wallMs: 0 };
	const count = (target: string, result: TargetOutcome['result']) => {
		const c = (report.byTarget[target] ??= { cases: 0, graph: 0, typedError: 0, failure: 0 });
		c.cases++;
		c[result === 'typed-error' ? 'typedError' : result]++;
	};
	let worker = await startWorker(data, maxHeapMb);
	try {
		for (let index = options.start ?? 0, end = index + options.cases; index < end; index++) {
			const reply = await ask(worker, index, hangMs);
			report.cases++;
			if ('dead' in reply) {
				void worker.terminate();
				report.failures.push({ index, seed: '?', mutations: [], target: 'worker', stage: '?', message: reply.dead, elapsedMs: hangMs });
				count('worker', 'failure');
				worker = await startWorker(data, maxHeapMb);
				continue;
			}
			options.onCase?.(reply);
			for (const o of reply.outcomes) {
				count(o.target, o.result);
				if (o.result === 'failure') report.failures.push({ index, seed: reply.seed, mutations: reply.mutations, target: o.target, stage: o.stage, message: o.message ?? '', elapsedMs: o.elapsedMs });
				if (!report.slowest || o.elapsedMs > report.slowest.elapsedMs) report.slowest = { index, seed: reply.seed, mutations: reply.mutations, target: o.target, elapsedMs: o.elapsedMs };
			}
		}
	} finally {
		await worker.terminate();
	}
	report.wallMs = performance.now() - began;
	return report;
}
