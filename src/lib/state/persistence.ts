/**
 * Local persistence, so a reload loses nothing: uploaded model bytes keyed by their SHA-256 (the same hash a
 * scenario link names them by) and the last scenario. Plain TypeScript, no runes.
 *
 * The stores are written against `KeyValueStore`, a tiny async interface: `createMemoryStores()` backs it
 * with Maps (Node tests, and the fallback where IndexedDB is missing or refused, e.g. private modes), and
 * `createIndexedDbStores()` with IndexedDB in the browser.
 */
import { decodeScenario, encodeScenario, type DecodedScenario } from '../core/scenario/codec.ts';
import type { Scenario } from '../core/scenario/schema.ts';

/** The smallest async key-value interface the stores need. */
export interface KeyValueStore<T> {
	get(key: string): Promise<T | undefined>;
	put(key: string, value: T): Promise<void>;
	delete(key: string): Promise<void>;
	values(): Promise<T[]>;
}

/** What `ModelStore.list()` returns: everything about a stored model but its bytes. */
export interface StoredModelInfo {
	sha256: string;
	/** The file name it was uploaded under (data only: render as text). */
	name: string;
	sizeBytes: number;
	/** When it was stored, in milliseconds since the epoch. */
	storedAtMs: number;
}

export interface StoredModel extends StoredModelInfo {
	bytes: Uint8Array;
}

export interface ModelStore {
	/** Stores the bytes under their SHA-256 and returns it (lower-case hex). Storing the same bytes again only updates the name. */
	put(bytes: Uint8Array | ArrayBuffer, name: string): Promise<string>;
	get(sha256: string): Promise<StoredModel | undefined>;
	/** Stored models without their bytes, most recent first. */
	list(): Promise<StoredModelInfo[]>;
	delete(sha256: string): Promise<void>;
}

export interface ScenarioStore {
	/** Remembers the scenario (stored as its URL hash, so later versions read it through the migrations). */
	save(scenario: Scenario): Promise<void>;
	/** The last saved scenario, decoded as a link would be (never throws); undefined when none was saved. */
	load(): Promise<DecodedScenario | undefined>;
	clear(): Promise<void>;
}

export interface Stores {
	models: ModelStore;
	scenario: ScenarioStore;
}

/** Lower-case hex SHA-256 of the bytes (Web Crypto, in browsers and Node ≥ 20). */
export async function sha256Hex(bytes: Uint8Array | ArrayBuffer): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
	return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const SCENARIO_KEY = 'last';

/** The stores over any key-value backends: model metadata and bytes apart, so listing never loads bytes. */
export function createStores(
	meta: KeyValueStore<StoredModelInfo>,
	blobs: KeyValueStore<Uint8Array>,
	scenarios: KeyValueStore<string>,
	now: () => number = Date.now
): Stores {
	const models: ModelStore = {
		async put(bytes, name) {
			const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
			const sha256 = await sha256Hex(view);
			if ((await blobs.get(sha256)) === undefined) await blobs.put(sha256, view.slice());
			await meta.put(sha256, { sha256, name, sizeBytes: view.length, storedAtMs: now() });
			return sha256;
		},
		async get(sha256) {
			const [info, bytes] = await Promise.all([meta.get(sha256), blobs.get(sha256)]);
			return info && bytes ? { ...info, bytes } : undefined;
		},
		async list() {
			return (await meta.values()).sort((a, b) => b.storedAtMs - a.storedAtMs);
		},
		async delete(sha256) {
			await Promise.all([meta.delete(sha256), blobs.delete(sha256)]);
		}
	};
	const scenario: ScenarioStore = {
		async save(s) {
			await scenarios.put(SCENARIO_KEY, await encodeScenario(s));
		},
		async load() {
			const hash = await scenarios.get(SCENARIO_KEY);
			return typeof hash === 'string' ? decodeScenario(hash) : undefined;
		},
		async clear() {
			await scenarios.delete(SCENARIO_KEY);
		}
	};
	return { models, scenario };
}

/** A `KeyValueStore` in a Map. */
export function memoryKeyValueStore<T>(): KeyValueStore<T> {
	const map = new Map<string, T>();
	return {
		get: async (key) => map.get(key),
		put: async (key, value) => void map.set(key, value),
		delete: async (key) => void map.delete(key),
		values: async () => [...map.values()]
	};
}

/** Stores that live in memory only (tests; fallback where IndexedDB is unavailable). */
export function createMemoryStores(now?: () => number): Stores {
	return createStores(memoryKeyValueStore(), memoryKeyValueStore(), memoryKeyValueStore(), now);
}

export const DB_NAME = 'tightfit';
const DB_VERSION = 1;
const OBJECT_STORES = ['model-meta', 'model-bytes', 'scenario'] as const;

const done = <T>(request: IDBRequest<T>): Promise<T> =>
	new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});

function openDb(factory: IDBFactory, name: string): Promise<IDBDatabase> {
	const request = factory.open(name, DB_VERSION);
	request.onupgradeneeded = () => {
		for (const store of OBJECT_STORES) {
			if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
		}
	};
	return done(request).then((db) => {
		// Let a newer tab upgrade the schema instead of being blocked by this connection.
		db.onversionchange = () => db.close();
		return db;
	});
}

/** A `KeyValueStore` over one IndexedDB object store (out-of-line string keys). */
export function indexedDbKeyValueStore<T>(db: () => Promise<IDBDatabase>, storeName: string): KeyValueStore<T> {
	const run = async <R>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<R>): Promise<R> => {
		const tx = (await db()).transaction(storeName, mode);
		// A write counts only once its transaction commits, so wait for `complete`, not just the request.
		const committed = new Promise<void>((resolve, reject) => {
			tx.oncomplete = () => resolve();
			tx.onerror = tx.onabort = () => reject(tx.error);
		});
		const [result] = await Promise.all([done(op(tx.objectStore(storeName))), committed]);
		return result;
	};
	return {
		get: (key) => run('readonly', (s) => s.get(key) as IDBRequest<T | undefined>),
		put: async (key, value) => void (await run('readwrite', (s) => s.put(value, key))),
		delete: async (key) => void (await run('readwrite', (s) => s.delete(key))),
		values: () => run('readonly', (s) => s.getAll() as IDBRequest<T[]>)
	};
}

/**
 * Stores in the browser's IndexedDB (database `tightfit`). The database opens lazily on first use; a
 * refused open (private mode, blocked storage) rejects that call and is retried on the next, so callers
 * should catch, fall back to `createMemoryStores()` and tell the user work will not survive a reload.
 */
export function createIndexedDbStores(factory?: IDBFactory, name = DB_NAME, now?: () => number): Stores {
	let opened: Promise<IDBDatabase> | undefined;
	const db = () =>
		(opened ??= openDb(factory ?? indexedDB, name).catch((error: unknown) => {
			opened = undefined;
			throw error;
		}));
	return createStores(
		indexedDbKeyValueStore(db, 'model-meta'),
		indexedDbKeyValueStore(db, 'model-bytes'),
		indexedDbKeyValueStore(db, 'scenario'),
		now
	);
}
