/**
 * Where the measured mode keeps a model's split blocks between runs: the Cache API when the context has it
 * (pages and workers, per origin, survives reloads), else a Map in this context's memory (Node, tests).
 * Keys are synthetic https URLs; nothing is ever fetched from them.
 */

export interface StoredBlock {
	/** Values the block reads (graph inputs or earlier blocks' outputs). */
	inputs: string[];
	outputs: string[];
	/** The block as an ONNX file. */
	bytes: Uint8Array;
}

export interface BlockSet {
	/** The whole model as an ONNX file (what bulk loads). */
	whole: Uint8Array;
	blocks: StoredBlock[];
}

export interface BlockStore {
	kind: 'Cache API' | 'memory';
	get(key: string): Promise<BlockSet | null>;
	put(key: string, set: BlockSet): Promise<void>;
	/** Reads one stored file (the whole model: index -1), as a loader reading weights from storage would. */
	read(key: string, index: number): Promise<Uint8Array>;
}

const CACHE_NAME = 'tightfit-blocks-v1';
const url = (key: string, name: string) => `https://blocks.tightfit.invalid/${encodeURIComponent(key)}/${name}`;
const fileName = (index: number) => (index < 0 ? 'whole.onnx' : `block-${index}.onnx`);

const memory = new Map<string, BlockSet>();

const memoryStore: BlockStore = {
	kind: 'memory',
	async get(key) {
		return memory.get(key) ?? null;
	},
	async put(key, set) {
		memory.set(key, set);
	},
	async read(key, index) {
		const set = memory.get(key);
		const bytes = index < 0 ? set?.whole : set?.blocks[index]?.bytes;
		if (!bytes) throw new Error(`No stored ${fileName(index)} for ${key}`);
		return bytes;
	}
};

function cacheStore(storage: CacheStorage): BlockStore {
	return {
		kind: 'Cache API',
		async get(key) {
			const cache = await storage.open(CACHE_NAME);
			const meta = await cache.match(url(key, 'meta.json'));
			if (!meta) return null;
			const list = (await meta.json()) as { inputs: string[]; outputs: string[] }[];
			const blocks: StoredBlock[] = [];
			for (const [i, b] of list.entries()) blocks.push({ ...b, bytes: await this.read(key, i) });
			return { whole: await this.read(key, -1), blocks };
		},
		async put(key, set) {
			const cache = await storage.open(CACHE_NAME);
			const body = (bytes: Uint8Array) => new Response(bytes.slice().buffer, { headers: { 'content-type': 'application/octet-stream' } });
			await cache.put(url(key, fileName(-1)), body(set.whole));
			for (const [i, b] of set.blocks.entries()) await cache.put(url(key, fileName(i)), body(b.bytes));
			// The index goes last: a half-written set has no meta.json and is rebuilt.
			const meta = set.blocks.map(({ inputs, outputs }) => ({ inputs, outputs }));
			await cache.put(url(key, 'meta.json'), new Response(JSON.stringify(meta), { headers: { 'content-type': 'application/json' } }));
		},
		async read(key, index) {
			const cache = await storage.open(CACHE_NAME);
			const res = await cache.match(url(key, fileName(index)));
			if (!res) throw new Error(`No stored ${fileName(index)} for ${key}`);
			return new Uint8Array(await res.arrayBuffer());
		}
	};
}

/** The Cache API store where `caches` exists, else the in-memory one. */
export function openBlockStore(scope: { caches?: CacheStorage } = globalThis as { caches?: CacheStorage }): BlockStore {
	return scope.caches ? cacheStore(scope.caches) : memoryStore;
}
