/**
 * Zoo model files, fetched once per page. Several cells need the same file at the same moment (a lesson
 * link loads a model while the loading cells analyse it), and Chromium fails a second fetch of a large
 * file outright (net::ERR_CACHE_WRITE_FAILURE) while the first is still writing its cache entry — so
 * every caller shares one download per model, and each gets its own copy (callers transfer theirs to
 * workers, which detaches it).
 */
import { zooModelUrl } from './paths';

const downloads = new Map<string, Promise<Uint8Array>>();

async function download(url: string): Promise<Uint8Array> {
	for (let attempt = 0; ; attempt++) {
		try {
			// A retry goes past the HTTP cache, in case another tab's fetch holds the cache entry.
			const res = await fetch(url, attempt ? { cache: 'no-store' } : undefined);
			if (!res.ok) throw new Error(`HTTP ${res.status}`);
			return new Uint8Array(await res.arrayBuffer());
		} catch (err) {
			if (attempt > 0 || !(err instanceof TypeError)) throw err;
		}
	}
}

/** The bytes of zoo model `id` (a fresh copy per call); a failed download is forgotten so the next call retries. */
export async function zooModelBytes(id: string): Promise<Uint8Array> {
	const url = zooModelUrl(id);
	let pending = downloads.get(url);
	if (!pending) {
		pending = download(url);
		downloads.set(url, pending);
		pending.catch(() => downloads.delete(url));
	}
	return (await pending).slice();
}
