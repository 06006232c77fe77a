/**
 * How scenario changes reach the browser history, as pure functions (unit-tested in Node; url-sync.svelte.ts
 * does the I/O).
 *
 * - Changes are collected for a short debounce window; if any of them was discrete (a toggle, a pick) the
 *   window becomes one new history entry (push), so back/forward walk through the experiment.
 * - A continuous change (a slider drag, typing a number) replaces the entry its own drag created: the first
 *   write of a drag pushes one entry, later writes within `DRAG_WINDOW_MS` replace it. A drag therefore costs
 *   one history entry, and never overwrites the entry of the discrete change before it.
 * - Echo guard: a hash that equals what the URL already shows is never written, and a scenario applied from
 *   the URL (a link, back/forward) is never written back.
 */

export type ChangeKind = 'discrete' | 'continuous';
export type HistoryAction = 'push' | 'replace' | 'none';

/** Debounce before a change is written to the URL. */
export const SYNC_DEBOUNCE_MS = 150;
/** Continuous writes closer together than this belong to the same drag (and share one history entry). */
export const DRAG_WINDOW_MS = 1000;

/** What the sync remembers about its last write. */
export interface HistoryMemory {
	/** The hash the URL shows now, as far as the sync knows (written by it or applied from the URL). */
	hash: string | null;
	/** Kind of the change that wrote the current entry; null when the entry came from the URL or a first write. */
	kind: ChangeKind | null;
	/** When that entry was last written, in ms. */
	atMs: number;
}

export const initialMemory = (hash: string | null = null): HistoryMemory => ({ hash, kind: null, atMs: -Infinity });

/** Kind of a debounce window holding both kinds of changes: discrete wins. */
export function mergeKinds(pending: ChangeKind | null, next: ChangeKind): ChangeKind {
	return pending === 'discrete' || next === 'discrete' ? 'discrete' : 'continuous';
}

/**
 * Decides how to write `hash` for a change of `kind` at `nowMs`. `initial`: the first write after the page
 * opened (canonicalises the URL without adding an entry). Returns the action and the memory after it.
 */
export function decideWrite(
	memory: HistoryMemory,
	change: { hash: string; kind: ChangeKind; nowMs: number; initial?: boolean }
): { action: HistoryAction; memory: HistoryMemory } {
	if (change.hash === memory.hash) return { action: 'none', memory };
	const next: HistoryMemory = { hash: change.hash, kind: change.initial ? null : change.kind, atMs: change.nowMs };
	if (change.initial) return { action: 'replace', memory: next };
	if (change.kind === 'continuous' && memory.kind === 'continuous' && change.nowMs - memory.atMs <= DRAG_WINDOW_MS) {
		return { action: 'replace', memory: next };
	}
	return { action: 'push', memory: next };
}

/**
 * Echo guard for URL events (popstate, hashchange): true when `urlHash` is what the sync already shows, so
 * applying it again would be a no-op (e.g. its own pushState, or popstate and hashchange for the same step).
 */
export function isEcho(memory: HistoryMemory, urlHash: string): boolean {
	return memory.hash !== null && normaliseHash(urlHash) === normaliseHash(memory.hash);
}

/** Records that the URL now shows `urlHash` because it was navigated to (the page applies it, never writes it). */
export function rememberApplied(urlHash: string, nowMs: number): HistoryMemory {
	return { hash: normaliseHash(urlHash), kind: null, atMs: nowMs };
}

/** `#s=…`, `s=…` and `''`/`'#'` compare equal to their `#`-prefixed form. */
export function normaliseHash(hash: string): string {
	if (hash === '' || hash === '#') return '';
	return hash.startsWith('#') ? hash : `#${hash}`;
}

/** True when a URL hash carries a scenario parameter at all (otherwise the page restores the last save). */
export function hasScenarioParam(hash: string): boolean {
	const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
	return fragment.split('&').some((p) => p.startsWith('s='));
}
