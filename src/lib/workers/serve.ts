/** The worker's side of the protocol: run the handler for each request, post progress, then result or error. */
import { toErrorInfo, type Reply, type WorkerErrorCode } from './protocol';
import type { Handler } from './rpc';

interface WorkerScope {
	onmessage: ((ev: MessageEvent) => void) | null;
	postMessage(message: unknown, transfer?: Transferable[]): void;
}

export function serve<Req extends { id: number }, Res, P>(
	scope: WorkerScope,
	handler: Handler<Req, Res, P>,
	errorCode: WorkerErrorCode = 'internal',
	/** Buffers of a result to transfer rather than copy (a transformed model's bytes). */
	transferOf?: (result: Res) => Transferable[]
): void {
	scope.onmessage = async (ev: MessageEvent) => {
		const req = ev.data as Req;
		const post = (reply: Reply<Res, P>, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);
		try {
			const result = await handler(req, (progress) => post({ id: req.id, type: 'progress', progress }));
			post({ id: req.id, type: 'result', result }, transferOf?.(result));
		} catch (err) {
			post({ id: req.id, type: 'error', error: toErrorInfo(err, errorCode) });
		}
	};
}
