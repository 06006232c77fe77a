/**
 * Keeps the URL hash and the scenario in step (see history-policy.ts for the rules):
 * - `start()` decodes the hash the page opened with (if it has a scenario) and applies it, with its notices;
 * - every change the person makes is written after a short debounce: discrete changes push a history entry,
 *   a continuous drag replaces its own; the same hash is never written twice (echo guard);
 * - back/forward (`popstate`) and edits of the hash (`hashchange`, lesson links) are decoded and applied as
 *   external changes, which are never written back.
 *
 * History entries go through SvelteKit's shallow-routing `pushState`/`replaceState`, so its router knows them.
 */
import { pushState, replaceState } from '$app/navigation';
import { decodeScenario, encodeScenario } from '../core/scenario/codec';
import {
	decideWrite,
	hasScenarioParam,
	initialMemory,
	isEcho,
	mergeKinds,
	rememberApplied,
	SYNC_DEBOUNCE_MS,
	type ChangeKind,
	type HistoryMemory
} from './history-policy';
import type { ScenarioState } from './scenario.svelte';

export class UrlSync {
	#memory: HistoryMemory = initialMemory();
	#pending: ChangeKind | null = null;
	#timer: ReturnType<typeof setTimeout> | undefined;
	/** Bumped by every URL apply; a write or decode that started before it is dropped. */
	#epoch = 0;
	#stopEffect: (() => void) | undefined;
	#listening = false;

	private readonly scenario: ScenarioState;

	constructor(scenario: ScenarioState) {
		this.scenario = scenario;
	}

	/**
	 * Applies the scenario in the page's URL, if it has one, and starts following changes both ways.
	 * Returns true when the URL held a scenario (even a damaged one: its notices are shown instead).
	 */
	async start(): Promise<boolean> {
		const hash = location.hash;
		const fromLink = hasScenarioParam(hash);
		if (fromLink) await this.#applyHash(hash);
		addEventListener('popstate', this.#onUrlEvent);
		addEventListener('hashchange', this.#onUrlEvent);
		this.#listening = true;
		this.#stopEffect = $effect.root(() => {
			$effect(() => {
				const change = this.scenario.lastChange;
				if (change.seq === 0) return;
				if (change.origin === 'user') this.#schedule(change.kind);
			});
		});
		return fromLink;
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#stopEffect?.();
		if (this.#listening) {
			removeEventListener('popstate', this.#onUrlEvent);
			removeEventListener('hashchange', this.#onUrlEvent);
			this.#listening = false;
		}
	}

	/** Writes the current scenario to the URL now without adding an entry (after a restore, or a damaged link). */
	async canonicalise(): Promise<void> {
		await this.#write('discrete', true);
	}

	/** Writes any pending change immediately (before the page is left, or in tests). */
	async flush(): Promise<void> {
		if (this.#pending === null) return;
		clearTimeout(this.#timer);
		const kind = this.#pending;
		this.#pending = null;
		await this.#write(kind, false);
	}

	#schedule(kind: ChangeKind): void {
		this.#pending = mergeKinds(this.#pending, kind);
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.flush(), SYNC_DEBOUNCE_MS);
	}

	async #write(kind: ChangeKind, initial: boolean): Promise<void> {
		const epoch = this.#epoch;
		const hash = await encodeScenario(this.scenario.snapshot());
		if (epoch !== this.#epoch) return; // the URL moved on (back/forward) while encoding
		const decision = decideWrite(this.#memory, { hash, kind, nowMs: performance.now(), initial });
		this.#memory = decision.memory;
		if (decision.action === 'none') return;
		const url = location.href.split('#')[0] + hash;
		try {
			if (decision.action === 'push') pushState(url, {});
			else replaceState(url, {});
		} catch {
			// Before the router started (or outside SvelteKit): plain history calls do the same job.
			if (decision.action === 'push') history.pushState(history.state, '', url);
			else history.replaceState(history.state, '', url);
		}
	}

	#onUrlEvent = (): void => {
		const hash = location.hash;
		// A plain anchor (the table of contents' `#model`) is not a scenario: leave the scenario as it is.
		if (!hasScenarioParam(hash) || isEcho(this.#memory, hash)) return;
		void this.#applyHash(hash);
	};

	async #applyHash(hash: string): Promise<void> {
		const epoch = ++this.#epoch;
		clearTimeout(this.#timer);
		this.#pending = null;
		this.#memory = rememberApplied(hash, performance.now());
		const { scenario, notices } = await decodeScenario(hash);
		if (epoch !== this.#epoch) return; // a newer URL arrived while decoding
		this.scenario.apply(scenario);
		if (notices.length) this.scenario.addNotices(...notices);
	}
}
