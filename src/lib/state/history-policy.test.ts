import { describe, expect, it } from 'vitest';
import {
	decideWrite,
	DRAG_WINDOW_MS,
	hasScenarioParam,
	initialMemory,
	isEcho,
	mergeKinds,
	rememberApplied,
	type ChangeKind,
	type HistoryAction
} from './history-policy.ts';

/** Runs a sequence of writes from a fresh memory and returns the actions taken. */
function actions(steps: Array<{ hash: string; kind: ChangeKind; at: number; initial?: boolean }>): HistoryAction[] {
	let memory = initialMemory();
	return steps.map((s) => {
		const r = decideWrite(memory, { hash: s.hash, kind: s.kind, nowMs: s.at, initial: s.initial });
		memory = r.memory;
		return r.action;
	});
}

describe('decideWrite', () => {
	it('pushes one entry per discrete change', () => {
		expect(
			actions([
				{ hash: '#s=1.a', kind: 'discrete', at: 0 },
				{ hash: '#s=1.b', kind: 'discrete', at: 10 },
				{ hash: '#s=1.c', kind: 'discrete', at: 20 }
			])
		).toEqual(['push', 'push', 'push']);
	});

	it('a drag pushes once, then replaces its own entry', () => {
		expect(
			actions([
				{ hash: '#s=1.a', kind: 'discrete', at: 0 },
				{ hash: '#s=1.b', kind: 'continuous', at: 100 },
				{ hash: '#s=1.c', kind: 'continuous', at: 300 },
				{ hash: '#s=1.d', kind: 'continuous', at: 500 }
			])
		).toEqual(['push', 'push', 'replace', 'replace']);
	});

	it('a pause longer than the drag window starts a new entry', () => {
		expect(
			actions([
				{ hash: '#s=1.b', kind: 'continuous', at: 0 },
				{ hash: '#s=1.c', kind: 'continuous', at: DRAG_WINDOW_MS + 1 }
			])
		).toEqual(['push', 'push']);
	});

	it('a discrete change after a drag pushes', () => {
		expect(
			actions([
				{ hash: '#s=1.b', kind: 'continuous', at: 0 },
				{ hash: '#s=1.c', kind: 'discrete', at: 10 },
				{ hash: '#s=1.d', kind: 'continuous', at: 20 }
			])
		).toEqual(['push', 'push', 'push']);
	});

	it('the first write replaces (canonicalises the URL without an entry)', () => {
		expect(
			actions([
				{ hash: '#s=1.a', kind: 'discrete', at: 0, initial: true },
				{ hash: '#s=1.b', kind: 'continuous', at: 10 }
			])
		).toEqual(['replace', 'push']);
	});

	it('echo guard: the same hash is never written twice', () => {
		expect(
			actions([
				{ hash: '#s=1.a', kind: 'discrete', at: 0 },
				{ hash: '#s=1.a', kind: 'discrete', at: 10 },
				{ hash: '#s=1.a', kind: 'continuous', at: 20 }
			])
		).toEqual(['push', 'none', 'none']);
		const applied = rememberApplied('#s=1.x', 0);
		expect(decideWrite(applied, { hash: '#s=1.x', kind: 'discrete', nowMs: 5 }).action).toBe('none');
	});

	it('after applying a URL, a drag does not replace the applied entry', () => {
		const applied = rememberApplied('#s=1.x', 0);
		expect(decideWrite(applied, { hash: '#s=1.y', kind: 'continuous', nowMs: 5 }).action).toBe('push');
	});
});

describe('mergeKinds', () => {
	it('discrete wins within a debounce window', () => {
		expect(mergeKinds(null, 'continuous')).toBe('continuous');
		expect(mergeKinds('continuous', 'continuous')).toBe('continuous');
		expect(mergeKinds('continuous', 'discrete')).toBe('discrete');
		expect(mergeKinds('discrete', 'continuous')).toBe('discrete');
		expect(mergeKinds(null, 'discrete')).toBe('discrete');
	});
});

describe('isEcho and hasScenarioParam', () => {
	it('recognises the URL the sync already shows', () => {
		const m = rememberApplied('s=1.abc', 0);
		expect(isEcho(m, '#s=1.abc')).toBe(true);
		expect(isEcho(m, '#s=1.abd')).toBe(false);
		expect(isEcho(initialMemory(), '')).toBe(false);
		const written = decideWrite(initialMemory(), { hash: '#s=1.q', kind: 'discrete', nowMs: 0 }).memory;
		expect(isEcho(written, '#s=1.q')).toBe(true);
	});

	it('finds the scenario parameter', () => {
		expect(hasScenarioParam('#s=1.abc')).toBe(true);
		expect(hasScenarioParam('#x=2&s=garbage')).toBe(true);
		expect(hasScenarioParam('#section')).toBe(false);
		expect(hasScenarioParam('')).toBe(false);
	});
});
