/**
 * The fuzz worker thread: loads the seeds once, then runs the cases the parent asks for and answers
 * with their outcomes. A case that hangs or runs out of memory takes this thread down, not the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateCase } from '../corpus';
import { runCase } from '../harness';
import { allSeeds } from './seeds';
import type { WorkerData, WorkerReply } from './protocol';

const data = workerData as WorkerData;
const { seeds } = allSeeds(data.root, data.seedPaths);
const port = parentPort!;

port.on('message', (index: number) => {
	const c = generateCase(seeds, data.runSeed, index);
	const start = performance.now();
	const outcomes = runCase(c.files, { timeBudgetMs: data.timeBudgetMs });
	const reply: WorkerReply = { index, seed: c.seed, kind: c.kind, mutations: c.mutations, outcomes, caseMs: performance.now() - start };
	port.postMessage(reply);
});
port.postMessage({ ready: seeds.length });
