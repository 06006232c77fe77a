/**
 * Zoo model files, fetched once per page. Several cells need the same file at the same moment (a lesson
 * link loads a model while the loading cells analyse it), and Chromium fails a second fetch of a large
 * file outright (net::ERR_CACHE_WRITE_FAILURE) while the first is still writing its cache entry — so
 * every caller shares one download per model, and each gets its own copy (callers transfer theirs to
 * workers, which detaches it).
 */
import type { NamedFile } from '../core/formats/tfjs/model-json';
import type { TfjsZooEntry } from '../core/zoo/manifest';
import { appUrl, zooModelUrl } from './paths';

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
	return shared(zooModelUrl(id));
}

/** Where scripts/tfjs-sync.js serves a file of a TF.js zoo entry. */
export const zooTfjsFileUrl = (id: string, name: string) => appUrl(`models/tfjs/${encodeURIComponent(id)}/${encodeURIComponent(name)}`);

/**
 * The files of a TF.js zoo entry (model.json first, then its shards), one after another so Chromium never
 * fetches two at once, each a fresh copy; a file whose size is not the manifest's is refused, naming it.
 */
export async function zooTfjsFiles(entry: TfjsZooEntry): Promise<NamedFile[]> {
	const files: NamedFile[] = [];
	for (const file of entry.files) {
		let bytes: Uint8Array;
		try {
			bytes = await shared(zooTfjsFileUrl(entry.id, file.name));
		} catch (err) {
			throw new Error(`${file.name}: ${err instanceof Error ? err.message : err}`, { cause: err });
		}
		if (bytes.byteLength !== file.bytes) throw new Error(`${file.name} has ${bytes.byteLength} bytes, the zoo manifest says ${file.bytes}`);
		files.push({ name: file.name, bytes });
	}
	return files;
}

async function shared(url: string): Promise<Uint8Array> {
	let pending = downloads.get(url);
	if (!pending) {
		pending = download(url);
		downloads.set(url, pending);
		pending.catch(() => downloads.delete(url));
	}
	return (await pending).slice();
}
