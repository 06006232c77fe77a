/** Messages between the fuzz runner and its worker thread. */
import type { TargetOutcome } from '../harness';

export interface WorkerData {
	root: string;
	seedPaths?: readonly string[];
	runSeed: number;
	timeBudgetMs: number;
}

/** The worker's answer for one case. */
export interface WorkerReply {
	index: number;
	seed: string;
	kind: string;
	mutations: string[];
	outcomes: TargetOutcome[];
	/** Wall time of the whole case (every target), in ms. */
	caseMs: number;
}
