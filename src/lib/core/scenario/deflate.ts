/**
 * Raw deflate (RFC 1951) for scenario payloads. Compression uses the platform's `CompressionStream`
 * (browsers, Node ≥ 20); inflation reads `DecompressionStream` with a byte limit, so a deflate bomb is cut
 * off after `limitBytes` instead of filling memory.
 *
 * Fallback without the streams: `storedDeflate` writes "stored" (uncompressed) deflate blocks — valid
 * deflate that every inflater reads, just larger — and `inflateStored` reads only such blocks.
 */

export type InflateResult =
	| { ok: true; bytes: Uint8Array }
	| { ok: false; reason: 'too-large' | 'corrupt' | 'unsupported' };

const hasStreams = (): boolean =>
	typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

function concat(chunks: Uint8Array[], total: number): Uint8Array {
	const out = new Uint8Array(total);
	let at = 0;
	for (const c of chunks) {
		out.set(c, at);
		at += c.length;
	}
	return out;
}

/** Deflate-raw compressed bytes; stored blocks where `CompressionStream` is missing. */
export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
	if (!hasStreams()) return storedDeflate(bytes);
	const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Inflates deflate-raw bytes, giving up as soon as the output would exceed `limitBytes`. Never throws.
 * Without `DecompressionStream` it falls back to `inflateStored`.
 */
export async function inflateRaw(bytes: Uint8Array, limitBytes: number): Promise<InflateResult> {
	if (!hasStreams()) return inflateStored(bytes, limitBytes);
	let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
	try {
		const ds = new DecompressionStream('deflate-raw');
		const writer = ds.writable.getWriter();
		// A corrupt stream rejects these too; the reader below reports it, so only silence them here.
		writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
		writer.close().catch(() => {});
		reader = ds.readable.getReader();
		const chunks: Uint8Array[] = [];
		let total = 0;
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.length;
			if (total > limitBytes) {
				reader.cancel().catch(() => {});
				return { ok: false, reason: 'too-large' };
			}
			chunks.push(value);
		}
		return { ok: true, bytes: concat(chunks, total) };
	} catch {
		reader?.cancel().catch(() => {});
		return { ok: false, reason: 'corrupt' };
	}
}

const STORED_MAX = 65_535;

/** Deflate-raw made of stored (uncompressed) blocks only: synchronous and dependency-free. */
export function storedDeflate(bytes: Uint8Array): Uint8Array {
	const blocks = Math.max(1, Math.ceil(bytes.length / STORED_MAX));
	const out = new Uint8Array(bytes.length + 5 * blocks);
	let at = 0;
	for (let b = 0; b < blocks; b++) {
		const chunk = bytes.subarray(b * STORED_MAX, (b + 1) * STORED_MAX);
		out[at] = b === blocks - 1 ? 1 : 0; // BFINAL bit, BTYPE = 00 (stored), then padding to the byte
		out[at + 1] = chunk.length & 0xff;
		out[at + 2] = chunk.length >> 8;
		out[at + 3] = ~chunk.length & 0xff;
		out[at + 4] = (~chunk.length >> 8) & 0xff;
		out.set(chunk, at + 5);
		at += 5 + chunk.length;
	}
	return out;
}

/**
 * Inflates deflate-raw made only of stored blocks (what `storedDeflate` writes). A compressed block gives
 * `unsupported`; a malformed stream `corrupt`; output over `limitBytes` `too-large`. Never throws.
 */
export function inflateStored(bytes: Uint8Array, limitBytes: number): InflateResult {
	const chunks: Uint8Array[] = [];
	let total = 0;
	let at = 0;
	for (;;) {
		if (at + 5 > bytes.length) return { ok: false, reason: 'corrupt' };
		const header = bytes[at];
		const type = (header >> 1) & 3;
		if (type === 3) return { ok: false, reason: 'corrupt' };
		if (type !== 0) return { ok: false, reason: 'unsupported' };
		const len = bytes[at + 1] | (bytes[at + 2] << 8);
		const nlen = bytes[at + 3] | (bytes[at + 4] << 8);
		if ((len ^ 0xffff) !== nlen || at + 5 + len > bytes.length) return { ok: false, reason: 'corrupt' };
		total += len;
		if (total > limitBytes) return { ok: false, reason: 'too-large' };
		chunks.push(bytes.subarray(at + 5, at + 5 + len));
		at += 5 + len;
		if (header & 1) break;
	}
	if (at !== bytes.length) return { ok: false, reason: 'corrupt' };
	return { ok: true, bytes: concat(chunks, total) };
}
