/**
 * Reads a dropped file in chunks into one buffer, reporting bytes read and stopping when asked:
 * `File.arrayBuffer()` gives neither progress nor a way to stop a read of hundreds of megabytes.
 */

export interface ReadProgress {
	bytesRead: number;
	totalBytes: number;
}

/** Thrown when the read was stopped through its AbortSignal. */
export class ReadAbortedError extends Error {
	constructor() {
		super('The read was cancelled');
		this.name = 'ReadAbortedError';
	}
}

/** Bytes per slice where `File.stream()` is missing. */
const SLICE_BYTES = 8 * 2 ** 20;

/**
 * The file's bytes, read with `File.stream()` (or `slice()` where there is no stream) into a buffer of
 * `file.size` allocated once, so the file is never held twice while it is read.
 * @throws ReadAbortedError when `signal` aborts; the browser's error when the file cannot be read or
 *   is not the size it said it was.
 */
export async function readFileChunked(
	file: Blob,
	options: { onProgress?: (p: ReadProgress) => void; signal?: AbortSignal } = {}
): Promise<Uint8Array> {
	const { onProgress, signal } = options;
	const totalBytes = file.size;
	const out = new Uint8Array(totalBytes);
	let bytesRead = 0;
	const put = (chunk: Uint8Array) => {
		if (bytesRead + chunk.byteLength > totalBytes) throw new Error(`the file grew while it was read (over ${totalBytes} bytes)`);
		out.set(chunk, bytesRead);
		bytesRead += chunk.byteLength;
		onProgress?.({ bytesRead, totalBytes });
	};
	onProgress?.({ bytesRead, totalBytes });
	if (typeof file.stream === 'function') {
		const reader = file.stream().getReader();
		try {
			for (;;) {
				if (signal?.aborted) throw new ReadAbortedError();
				const { done, value } = await reader.read();
				if (done) break;
				put(value);
			}
		} catch (err) {
			await reader.cancel().catch(() => undefined);
			throw err;
		}
	} else {
		while (bytesRead < totalBytes) {
			if (signal?.aborted) throw new ReadAbortedError();
			put(new Uint8Array(await file.slice(bytesRead, bytesRead + SLICE_BYTES).arrayBuffer()));
		}
	}
	if (signal?.aborted) throw new ReadAbortedError();
	if (bytesRead !== totalBytes) throw new Error(`the file ended after ${bytesRead} of ${totalBytes} bytes`);
	return out;
}
