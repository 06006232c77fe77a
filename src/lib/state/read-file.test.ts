import { describe, expect, it } from 'vitest';
import { ReadAbortedError, readFileChunked, type ReadProgress } from './read-file';

function blobOf(n: number): Blob {
	const bytes = new Uint8Array(n);
	for (let i = 0; i < n; i++) bytes[i] = (i * 31) & 0xff;
	return new Blob([bytes]);
}

/** Byte-for-byte equality without vitest's element-wise diffing of megabytes. */
async function sameBytes(a: Uint8Array, blob: Blob): Promise<boolean> {
	return Buffer.compare(Buffer.from(a), Buffer.from(await blob.arrayBuffer())) === 0;
}

describe('readFileChunked', () => {
	it('returns the same bytes as arrayBuffer(), with progress rising to the total', async () => {
		const blob = blobOf(3 * 2 ** 20 + 17);
		const seen: ReadProgress[] = [];
		const bytes = await readFileChunked(blob, { onProgress: (p) => seen.push(p) });
		expect(await sameBytes(bytes, blob)).toBe(true);
		expect(seen[0]).toEqual({ bytesRead: 0, totalBytes: blob.size });
		expect(seen.at(-1)).toEqual({ bytesRead: blob.size, totalBytes: blob.size });
		for (let i = 1; i < seen.length; i++) expect(seen[i].bytesRead).toBeGreaterThanOrEqual(seen[i - 1].bytesRead);
	});

	it('reads with slice() where stream() is missing', async () => {
		const blob = blobOf(20 * 2 ** 20 + 5);
		const noStream = { size: blob.size, slice: (a: number, b: number) => blob.slice(a, b) } as unknown as Blob;
		const seen: number[] = [];
		const bytes = await readFileChunked(noStream, { onProgress: (p) => seen.push(p.bytesRead) });
		expect(await sameBytes(bytes, blob)).toBe(true);
		expect(seen).toEqual([0, 8 * 2 ** 20, 16 * 2 ** 20, blob.size]);
	});

	it('stops with ReadAbortedError when aborted part-way', async () => {
		const controller = new AbortController();
		const read = readFileChunked(blobOf(4 * 2 ** 20), {
			signal: controller.signal,
			onProgress: (p) => p.bytesRead > 0 && controller.abort()
		});
		await expect(read).rejects.toBeInstanceOf(ReadAbortedError);
	});
});
