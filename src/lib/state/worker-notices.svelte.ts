/**
 * The page-wide notices for workers that died and were restarted (transform, loading, sweep, tiling,
 * runtimes — every client without a notice of its own in its cell). One notice per worker: a second
 * crash of the same worker replaces its notice instead of stacking another.
 */
import { onWorkerLoss, type WorkerLoss } from '../workers/rpc';

/** What each request type was doing, by "worker type", as the person reads it. */
const LOST_WORK: Record<string, string> = {
	'analysis analyze': 'opening a model',
	'inference run': 'timing a run',
	'transform transform': 'building a transformed variant',
	'loading prepare': 'preparing the workload models',
	'loading simulate': 'simulating the loading policies',
	'loading measure': 'measuring a loading policy',
	'tiling evaluate': 'planning the tiles',
	'tiling measure': 'timing the tiled network',
	'sweep sweep': 'running the sweep',
	'runtimes measure': 'measuring a runtime'
};

/** The notice for a lost worker: which one, why, what was lost, that it was restarted and that the person's work is kept. */
export function workerLossMessage(loss: WorkerLoss): string {
	const doing = loss.lostRequests.filter((t, i, all) => all.indexOf(t) === i).map((type) => LOST_WORK[`${loss.worker} ${type}`] ?? `running a '${type}' request`);
	const lost = doing.length
		? `It was ${doing.join(' and ')}; that result is lost, start it again from its cell.`
		: 'Nothing was running in it, so nothing was lost.';
	return `The ${loss.worker} worker stopped (${loss.reason}); it was restarted. ${lost} Your scenario, model and uploaded files are kept.`;
}

export interface WorkerNoticeEntry {
	id: number;
	worker: string;
	message: string;
}

export class WorkerNoticesState {
	notices = $state<WorkerNoticeEntry[]>([]);
	private nextId = 1;
	private stopListening: () => void;

	constructor() {
		this.stopListening = onWorkerLoss((loss) => this.add(loss));
	}

	add(loss: WorkerLoss): void {
		const entry = { id: this.nextId++, worker: loss.worker, message: workerLossMessage(loss) };
		this.notices = [...this.notices.filter((n) => n.worker !== loss.worker), entry];
	}

	dismiss(id: number): void {
		this.notices = this.notices.filter((n) => n.id !== id);
	}

	dispose(): void {
		this.stopListening();
	}
}
