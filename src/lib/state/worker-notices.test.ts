import { describe, expect, it } from 'vitest';
import { RpcClient, type WorkerLike } from '../workers/rpc';
import { WorkerNoticesState, workerLossMessage } from './worker-notices.svelte.ts';

type Req = { id: number; type: 'transform' | 'evaluate' };

/** A worker that never answers and can be made to die with an `error` event, as a crashed one does. */
class DyingWorker implements WorkerLike {
	onmessage: ((ev: MessageEvent) => void) | null = null;
	onerror: ((ev: ErrorEvent) => void) | null = null;
	postMessage() {}
	terminate() {}
	die(message: string) {
		this.onerror?.({ message, preventDefault: () => undefined } as unknown as ErrorEvent);
	}
}

function client(name: string, workers: DyingWorker[]) {
	return new RpcClient<Req, number, never>({
		name,
		createWorker: () => {
			const w = new DyingWorker();
			workers.push(w);
			return w;
		},
		fallback: async () => 0,
		workersAvailable: true
	});
}

describe('WorkerNoticesState', () => {
	it('tells the person which worker stopped, why, what was lost, that it restarted and that their work is kept', async () => {
		const notices = new WorkerNoticesState();
		const workers: DyingWorker[] = [];
		const transform = client('transform', workers);
		const pending = transform.request({ type: 'transform' }).catch((e) => e);
		workers[0].die('Uncaught Error: simulated crash');
		expect(await pending).toMatchObject({ code: 'worker-crashed' });
		expect(notices.notices).toHaveLength(1);
		expect(notices.notices[0].worker).toBe('transform');
		expect(notices.notices[0].message).toBe(
			'The transform worker stopped (Uncaught Error: simulated crash); it was restarted. It was building a transformed variant; ' +
				'that result is lost, start it again from its cell. Your scenario, model and uploaded files are kept.'
		);

		// A second worker adds its own notice; the same worker again replaces its notice.
		const tiling = client('tiling', workers);
		void tiling.request({ type: 'evaluate' }).catch(() => undefined);
		workers[2].die('out of stack');
		workers[1].die('idle crash');
		expect(notices.notices.map((n) => n.worker)).toEqual(['tiling', 'transform']);
		expect(notices.notices[1].message).toContain('Nothing was running in it, so nothing was lost.');
		expect(notices.notices[0].message).toContain('It was planning the tiles;');

		notices.dismiss(notices.notices[0].id);
		expect(notices.notices.map((n) => n.worker)).toEqual(['transform']);
		notices.dispose();
		workers[3].die('after dispose');
		expect(notices.notices).toHaveLength(1);
	});

	it('names an unknown request by its type rather than guessing', () => {
		expect(workerLossMessage({ worker: 'sweep', reason: 'x', lostRequests: ['frobnicate'] })).toContain("It was running a 'frobnicate' request;");
	});
});
