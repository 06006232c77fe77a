/**
 * The page's side of a worker: numbered requests, a pending map by id, latest-request-wins, timeout
 * and cancel (terminate the worker; the next request starts a fresh one), and an in-thread fallback
 * where `Worker` does not exist (Node, old browsers) that calls the same handler the worker calls.
 */
import type { Reply, WorkerErrorCode, WorkerErrorInfo } from './protocol';
import { toErrorInfo } from './protocol';

export type RpcErrorCode = WorkerErrorCode | 'timeout' | 'cancelled' | 'superseded' | 'worker-crashed';

/** A failed request, with the ModelFormatError code when the worker sent one. */
export class RpcError extends Error {
	readonly code: RpcErrorCode;
	constructor(code: RpcErrorCode, message: string, name = 'RpcError') {
		super(message);
		this.code = code;
		this.name = name;
	}
	static from(info: WorkerErrorInfo): RpcError {
		return new RpcError(info.code, info.message, info.name);
	}
}

/** A request without its id: the client numbers them. Distributes over a union of requests. */
export type RequestBody<Req> = Req extends { id: number } ? Omit<Req, 'id'> : never;

/** What the worker runs, and the fallback calls in-thread: a plain async function. */
export type Handler<Req, Res, P> = (req: Req, progress: (p: P) => void) => Promise<Res>;

/** The subset of Worker the client uses, so tests can pass a fake. */
export interface WorkerLike {
	postMessage(message: unknown, transfer?: Transferable[]): void;
	terminate(): void;
	onmessage: ((ev: MessageEvent) => void) | null;
	onerror: ((ev: ErrorEvent) => void) | null;
}

export interface RpcOptions<Req, Res, P> {
	/** For messages: "analysis", "inference". */
	name: string;
	/** Creates the worker; not called where `Worker` is undefined (then `fallback` runs in-thread). */
	createWorker: () => WorkerLike;
	fallback: Handler<Req, Res, P>;
	/** Milliseconds before a request fails with 'timeout' and the worker is replaced. */
	timeoutMs?: number;
	/** Reject older pending requests with 'superseded' when a new one starts (default true). */
	latestWins?: boolean;
	/** Override the Worker check (tests). */
	workersAvailable?: boolean;
	/**
	 * Called when the worker dies on its own (an uncaught error, a crash reported as an `error` event);
	 * the client has already started a fresh worker. `reason` is the event's message. Without it, the
	 * loss goes to the page-wide listeners (`onWorkerLoss`), so no worker ever restarts silently.
	 */
	onWorkerLost?: (reason: string, loss: WorkerLoss) => void;
}

/** A worker that died on its own and was restarted: which one, why, and what it was doing. */
export interface WorkerLoss {
	/** The client's name: "analysis", "transform", "tiling", … */
	worker: string;
	/** The `error` event's message. */
	reason: string;
	/** The `type` of each request it was serving, now rejected as 'worker-crashed' (empty when it was idle). */
	lostRequests: string[];
}

const pageListeners = new Set<(loss: WorkerLoss) => void>();

/**
 * Hears every worker loss whose client has no `onWorkerLost` of its own (one page-wide notice for
 * them all). Returns the function that stops listening.
 */
export function onWorkerLoss(listener: (loss: WorkerLoss) => void): () => void {
	pageListeners.add(listener);
	return () => pageListeners.delete(listener);
}

export interface RequestOptions<P> {
	onProgress?: (p: P) => void;
	transfer?: Transferable[];
	timeoutMs?: number;
}

interface Pending<Res, P> {
	/** The request's `type`, to say what was lost if the worker dies. */
	type: string;
	resolve: (r: Res) => void;
	reject: (e: RpcError) => void;
	onProgress?: (p: P) => void;
	timer?: ReturnType<typeof setTimeout>;
}

export class RpcClient<Req extends { id: number; type: string }, Res, P> {
	private worker: WorkerLike | null = null;
	private nextId = 1;
	private pending = new Map<number, Pending<Res, P>>();
	readonly inThread: boolean;

	constructor(private options: RpcOptions<Req, Res, P>) {
		this.inThread = !(options.workersAvailable ?? typeof Worker !== 'undefined');
	}

	/** Sends one request; resolves with its result, rejects with an RpcError. */
	request(body: RequestBody<Req>, opts: RequestOptions<P> = {}): Promise<Res> {
		if (this.options.latestWins !== false) this.rejectAll('superseded', 'A newer request replaced this one');
		const id = this.nextId++;
		const req = { ...body, id } as unknown as Req;
		return new Promise<Res>((resolve, reject) => {
			const entry: Pending<Res, P> = { type: req.type, resolve, reject, onProgress: opts.onProgress };
			const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs;
			if (timeoutMs && timeoutMs > 0) {
				entry.timer = setTimeout(() => {
					this.settle(id)?.reject(new RpcError('timeout', `The ${this.options.name} worker took longer than ${Math.round(timeoutMs / 1000)} s`));
					this.restart();
				}, timeoutMs);
			}
			this.pending.set(id, entry);
			if (this.inThread) this.runInThread(id, req);
			else this.ensureWorker().postMessage(req, opts.transfer ?? []);
		});
	}

	/** Stops whatever is running: pending requests reject with 'cancelled', the worker is replaced. */
	cancel(): void {
		this.rejectAll('cancelled', 'Cancelled');
		this.restart();
	}

	/** Replaces the worker without touching pending requests: after a failure that may have left it unusable (a wasm trap). */
	reset(): void {
		if (!this.busy) this.restart();
	}

	dispose(): void {
		this.cancel();
	}

	get busy(): boolean {
		return this.pending.size > 0;
	}

	private runInThread(id: number, req: Req) {
		const progress = (p: P) => this.pending.get(id)?.onProgress?.(p);
		// A microtask hop so the caller sees the same asynchrony as with a worker.
		Promise.resolve()
			.then(() => this.options.fallback(req, progress))
			.then(
				(result) => this.settle(id)?.resolve(result),
				(err) => this.settle(id)?.reject(RpcError.from(toErrorInfo(err)))
			);
	}

	private ensureWorker(): WorkerLike {
		if (this.worker) return this.worker;
		const worker = this.options.createWorker();
		worker.onmessage = (ev: MessageEvent) => this.onReply(ev.data as Reply<Res, P>);
		worker.onerror = (ev: ErrorEvent) => {
			ev.preventDefault?.();
			// An error event from a worker already replaced (cancel, timeout) says nothing about the new one.
			if (this.worker !== worker) return;
			const reason = ev.message || 'unknown error';
			const loss: WorkerLoss = { worker: this.options.name, reason, lostRequests: [...this.pending.values()].map((p) => p.type) };
			this.rejectAll('worker-crashed', `The ${this.options.name} worker stopped: ${reason}`);
			this.restart();
			// Restarted at once, so the next request does not pay for the start and the person can be told it is back.
			this.ensureWorker();
			if (this.options.onWorkerLost) this.options.onWorkerLost(reason, loss);
			else for (const listener of pageListeners) listener(loss);
		};
		this.worker = worker;
		return worker;
	}

	private onReply(reply: Reply<Res, P>) {
		// Replies for ids no longer pending (superseded, timed out, cancelled) are stale: drop them.
		if (!this.pending.has(reply.id)) return;
		if (reply.type === 'progress') this.pending.get(reply.id)!.onProgress?.(reply.progress);
		else if (reply.type === 'result') this.settle(reply.id)!.resolve(reply.result);
		else this.settle(reply.id)!.reject(RpcError.from(reply.error));
	}

	private settle(id: number): Pending<Res, P> | undefined {
		const entry = this.pending.get(id);
		if (!entry) return undefined;
		clearTimeout(entry.timer);
		this.pending.delete(id);
		return entry;
	}

	private rejectAll(code: RpcErrorCode, message: string) {
		for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new RpcError(code, message));
	}

	private restart() {
		this.worker?.terminate();
		this.worker = null;
	}
}
