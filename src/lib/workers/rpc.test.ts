import { describe, expect, it } from 'vitest';
import { ModelFormatError } from '../core/formats/errors';
import type { Reply } from './protocol';
import { RpcClient, RpcError, onWorkerLoss, type WorkerLike, type WorkerLoss } from './rpc';

type EchoReq = { id: number; type: 'echo'; value: number; delayMs?: number; fail?: boolean };
type EchoProgress = { stage: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function echo(req: EchoReq, progress: (p: EchoProgress) => void): Promise<number> {
	progress({ stage: 'started' });
	if (req.delayMs) await sleep(req.delayMs);
	if (req.fail) throw new ModelFormatError('truncated', 'The file ends early');
	return req.value * 2;
}

describe('RpcClient in-thread fallback (no Worker in Node)', () => {
	it('detects that Node has no Worker and calls the handler in-thread with progress', async () => {
		expect(typeof Worker).toBe('undefined');
		const client = new RpcClient<EchoReq, number, EchoProgress>({
			name: 'echo',
			createWorker: () => {
				throw new Error('must not be called');
			},
			fallback: echo
		});
		expect(client.inThread).toBe(true);
		const stages: string[] = [];
		await expect(client.request({ type: 'echo', value: 21 }, { onProgress: (p) => stages.push(p.stage) })).resolves.toBe(42);
		expect(stages).toEqual(['started']);
	});

	it('keeps the ModelFormatError code and message', async () => {
		const client = new RpcClient<EchoReq, number, EchoProgress>({ name: 'echo', createWorker: () => null!, fallback: echo, workersAvailable: false });
		const err = await client.request({ type: 'echo', value: 1, fail: true }).catch((e) => e);
		expect(err).toBeInstanceOf(RpcError);
		expect(err.code).toBe('truncated');
		expect(err.message).toBe('The file ends early');
	});

	it('latest request wins: an older one is rejected as superseded and its result dropped', async () => {
		const client = new RpcClient<EchoReq, number, EchoProgress>({ name: 'echo', createWorker: () => null!, fallback: echo, workersAvailable: false });
		const first = client.request({ type: 'echo', value: 1, delayMs: 30 });
		const second = client.request({ type: 'echo', value: 2 });
		await expect(first).rejects.toMatchObject({ code: 'superseded' });
		await expect(second).resolves.toBe(4);
	});

	it('times out', async () => {
		const client = new RpcClient<EchoReq, number, EchoProgress>({ name: 'echo', createWorker: () => null!, fallback: echo, workersAvailable: false, timeoutMs: 10 });
		await expect(client.request({ type: 'echo', value: 1, delayMs: 100 })).rejects.toMatchObject({ code: 'timeout' });
	});
});

/** A worker that answers when told to, so the test controls the order of replies. */
class FakeWorker implements WorkerLike {
	static created = 0;
	onmessage: ((ev: MessageEvent) => void) | null = null;
	onerror: ((ev: ErrorEvent) => void) | null = null;
	received: EchoReq[] = [];
	terminated = false;
	constructor() {
		FakeWorker.created++;
	}
	postMessage(message: unknown) {
		this.received.push(message as EchoReq);
	}
	terminate() {
		this.terminated = true;
	}
	reply(r: Reply<number, EchoProgress>) {
		this.onmessage?.({ data: r } as MessageEvent);
	}
}

describe('RpcClient with a worker', () => {
	it('drops stale replies, and cancel terminates and re-creates the worker', async () => {
		const workers: FakeWorker[] = [];
		const client = new RpcClient<EchoReq, number, EchoProgress>({
			name: 'echo',
			createWorker: () => {
				const w = new FakeWorker();
				workers.push(w);
				return w;
			},
			fallback: echo,
			workersAvailable: true
		});
		const first = client.request({ type: 'echo', value: 1 });
		const second = client.request({ type: 'echo', value: 2 });
		const [a, b] = workers[0].received;
		workers[0].reply({ id: b.id, type: 'result', result: 4 });
		workers[0].reply({ id: a.id, type: 'result', result: 999 });
		await expect(first).rejects.toMatchObject({ code: 'superseded' });
		await expect(second).resolves.toBe(4);

		const third = client.request({ type: 'echo', value: 3 });
		client.cancel();
		await expect(third).rejects.toMatchObject({ code: 'cancelled' });
		expect(workers[0].terminated).toBe(true);

		const fourth = client.request({ type: 'echo', value: 4 });
		expect(workers).toHaveLength(2);
		const req = workers[1].received[0];
		workers[1].reply({ id: req.id, type: 'error', error: { code: 'not-onnx', name: 'ModelFormatError', message: 'PNG' } });
		await expect(fourth).rejects.toMatchObject({ code: 'not-onnx', message: 'PNG' });
	});
});

describe('RpcClient when its worker dies', () => {
	function setup() {
		const workers: FakeWorker[] = [];
		const lost: string[] = [];
		const losses: WorkerLoss[] = [];
		const client = new RpcClient<EchoReq, number, EchoProgress>({
			name: 'echo',
			createWorker: () => {
				const w = new FakeWorker();
				workers.push(w);
				return w;
			},
			fallback: echo,
			workersAvailable: true,
			onWorkerLost: (reason, loss) => {
				lost.push(reason);
				losses.push(loss);
			}
		});
		const crash = (w: FakeWorker, message: string) => {
			let prevented = false;
			w.onerror?.({ message, preventDefault: () => (prevented = true) } as unknown as ErrorEvent);
			return prevented;
		};
		return { workers, lost, losses, client, crash };
	}

	it('rejects the pending request, starts a fresh worker at once, says so, and serves the next request', async () => {
		const { workers, lost, losses, client, crash } = setup();
		const pending = client.request({ type: 'echo', value: 1 });
		expect(crash(workers[0], 'Uncaught RuntimeError: unreachable')).toBe(true);
		await expect(pending).rejects.toMatchObject({ code: 'worker-crashed', message: 'The echo worker stopped: Uncaught RuntimeError: unreachable' });
		expect(workers[0].terminated).toBe(true);
		expect(workers).toHaveLength(2);
		expect(lost).toEqual(['Uncaught RuntimeError: unreachable']);
		expect(losses).toEqual([{ worker: 'echo', reason: 'Uncaught RuntimeError: unreachable', lostRequests: ['echo'] }]);

		const next = client.request({ type: 'echo', value: 2 });
		expect(workers).toHaveLength(2);
		workers[1].reply({ id: workers[1].received[0].id, type: 'result', result: 4 });
		await expect(next).resolves.toBe(4);
	});

	it('restarts an idle worker that dies, and ignores a late error from a worker it already replaced', () => {
		const { workers, lost, client, crash } = setup();
		void client.request({ type: 'echo', value: 1 }).catch(() => undefined);
		client.cancel();
		const stale = workers[0];
		void client.request({ type: 'echo', value: 2 }).catch(() => undefined);
		crash(stale, 'late');
		expect(lost).toEqual([]);
		expect(workers).toHaveLength(2);

		workers[1].reply({ id: workers[1].received[0].id, type: 'result', result: 4 });
		crash(workers[1], 'died while idle');
		expect(lost).toEqual(['died while idle']);
		expect(workers).toHaveLength(3);
		expect(workers[1].terminated).toBe(true);
	});
});

describe('a worker without a handler of its own still tells the page', () => {
	function client(name: string, workers: FakeWorker[], onWorkerLost?: (reason: string) => void) {
		return new RpcClient<EchoReq, number, EchoProgress>({
			name,
			createWorker: () => {
				const w = new FakeWorker();
				workers.push(w);
				return w;
			},
			fallback: echo,
			workersAvailable: true,
			latestWins: false,
			onWorkerLost
		});
	}
	const crash = (w: FakeWorker, message: string) => w.onerror?.({ message, preventDefault: () => undefined } as unknown as ErrorEvent);

	it('reports which worker, why and the requests it lost to the page-wide listeners, then serves the next request', async () => {
		const heard: WorkerLoss[] = [];
		const stop = onWorkerLoss((loss) => heard.push(loss));
		const workers: FakeWorker[] = [];
		const tiling = client('tiling', workers);
		const a = tiling.request({ type: 'echo', value: 1 });
		const b = tiling.request({ type: 'echo', value: 2 });
		crash(workers[0], 'Uncaught Error: simulated crash');
		await expect(a).rejects.toMatchObject({ code: 'worker-crashed' });
		await expect(b).rejects.toMatchObject({ code: 'worker-crashed' });
		expect(heard).toEqual([{ worker: 'tiling', reason: 'Uncaught Error: simulated crash', lostRequests: ['echo', 'echo'] }]);
		expect(workers).toHaveLength(2);

		// Idle when it dies: restarted and reported with nothing lost.
		crash(workers[1], 'idle crash');
		expect(heard[1]).toEqual({ worker: 'tiling', reason: 'idle crash', lostRequests: [] });
		const next = tiling.request({ type: 'echo', value: 3 });
		workers[2].reply({ id: workers[2].received[0].id, type: 'result', result: 6 });
		await expect(next).resolves.toBe(6);

		// After stopping, the listener hears nothing more.
		stop();
		crash(workers[2], 'after stop');
		expect(heard).toHaveLength(2);
	});

	it('a client with its own onWorkerLost is told instead (its cell shows the notice), not the page twice', () => {
		const heard: WorkerLoss[] = [];
		const stop = onWorkerLoss((loss) => heard.push(loss));
		const own: string[] = [];
		const workers: FakeWorker[] = [];
		const analysis = client('analysis', workers, (reason) => own.push(reason));
		void analysis.request({ type: 'echo', value: 1 }).catch(() => undefined);
		crash(workers[0], 'boom');
		expect(own).toEqual(['boom']);
		expect(heard).toEqual([]);
		stop();
	});
});
