/**
 * Persistence wiring, so a reload loses nothing: the last scenario and uploaded models live in IndexedDB
 * (persistence.ts). On start, a page opened without a scenario link gets the last saved scenario back;
 * every change is saved after a short debounce. Where IndexedDB is missing or refuses (private modes,
 * blocked storage) everything falls back to memory with one notice.
 */
import {
	createIndexedDbStores,
	createMemoryStores,
	type ModelStore,
	type ScenarioStore,
	type Stores
} from './persistence';
import type { ScenarioState } from './scenario.svelte';

export const SAVE_DEBOUNCE_MS = 400;

export const STORAGE_NOTICE =
	'This browser refused local storage (IndexedDB): your uploaded models and the last scenario will not survive a reload. Everything else works.';

export class RestoreState {
	#primary: Stores | null;
	#memory: Stores | null = null;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#stopEffect: (() => void) | undefined;
	/** True once storage fell back to memory. */
	fellBack = $state(false);

	/** `stores`: the stores to use (tests); by default IndexedDB, or memory where there is none. */
	constructor(
		private readonly scenario: ScenarioState,
		stores?: Stores
	) {
		this.#primary = stores ?? (typeof indexedDB === 'undefined' ? null : createIndexedDbStores());
		if (!this.#primary) this.#fallBack();
	}

	/** Uploaded models by sha256, falling back to memory on a storage error. */
	readonly models: ModelStore = {
		put: (bytes, name) => this.#use((s) => s.models.put(bytes, name)),
		get: (sha256) => this.#use((s) => s.models.get(sha256)),
		list: () => this.#use((s) => s.models.list()),
		delete: (sha256) => this.#use((s) => s.models.delete(sha256))
	};

	readonly scenarios: ScenarioStore = {
		save: (s) => this.#use((st) => st.scenario.save(s)),
		load: () => this.#use((st) => st.scenario.load()),
		clear: () => this.#use((st) => st.scenario.clear())
	};

	/** Applies the last saved scenario (with any notices); false when nothing was saved. */
	async restoreLast(): Promise<boolean> {
		const saved = await this.scenarios.load();
		if (!saved) return false;
		this.scenario.apply(saved.scenario);
		if (saved.notices.length) this.scenario.addNotices(...saved.notices);
		return true;
	}

	/** Saves the scenario after every change (debounced), from now on. */
	start(): void {
		this.#stopEffect?.();
		this.#stopEffect = $effect.root(() => {
			$effect(() => {
				if (this.scenario.lastChange.seq === 0) return;
				clearTimeout(this.#timer);
				this.#timer = setTimeout(() => void this.saveNow(), SAVE_DEBOUNCE_MS);
			});
		});
		addEventListener('pagehide', this.#onHide);
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#stopEffect?.();
		this.#stopEffect = undefined;
		removeEventListener('pagehide', this.#onHide);
	}

	async saveNow(): Promise<void> {
		clearTimeout(this.#timer);
		await this.scenarios.save(this.scenario.snapshot());
	}

	#onHide = (): void => void this.saveNow();

	async #use<T>(op: (stores: Stores) => Promise<T>): Promise<T> {
		if (this.#primary) {
			try {
				return await op(this.#primary);
			} catch {
				this.#primary = null;
				this.#fallBack();
			}
		}
		return op(this.#memory ?? this.#fallBack());
	}

	#fallBack(): Stores {
		this.#memory ??= createMemoryStores();
		if (!this.fellBack) {
			this.fellBack = true;
			this.scenario.addNotices(STORAGE_NOTICE);
		}
		return this.#memory;
	}
}
