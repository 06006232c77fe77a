import { describe, expect, it } from 'vitest';
import { WeightCache } from './cache';
import type { CacheKind } from './types';

/** Replays uses of keys (each 100 B unless sized) through a cache of `capacity` bytes; returns evictions in order. */
function replay(kind: CacheKind, capacity: number, uses: string[], size: (k: string) => number = () => 100): string[] {
	const cache = new WeightCache(kind, (s) => 1 + s / 1000);
	const evicted: string[] = [];
	for (const key of uses) {
		cache.recordUse(key);
		if (!cache.take(key)) {
			while (cache.sizeBytes + size(key) > capacity) {
				const e = cache.evict();
				if (!e) break;
				evicted.push(e.key);
			}
		}
		cache.insert(key, size(key));
	}
	return evicted;
}

describe('WeightCache on a hand-made access sequence', () => {
	const uses = ['a', 'b', 'a', 'a', 'c', 'b', 'd', 'a'];
	it('LRU evicts the least recently used', () => {
		// capacity 2: c evicts b (a used after b); b evicts a; d evicts c; a evicts b
		expect(replay('lru', 200, uses)).toEqual(['b', 'a', 'c', 'b']);
	});
	it('LFU evicts the least frequently used, keeping the hot key', () => {
		// a reaches 3 uses: c evicts b (1); b evicts c (1 vs a 3); d evicts b (2 < 3); a stays resident
		expect(replay('lfu', 200, uses)).toEqual(['b', 'c', 'b']);
	});
	it('size-aware (GreedyDual-Size) evicts the large entry that is cheap per byte first', () => {
		const size = (k: string) => (k === 'big' ? 300 : 100);
		expect(replay('size-aware', 400, ['big', 's1', 'x'], size)).toEqual(['big']);
		expect(replay('lru', 400, ['big', 's1', 'x'], size)).toEqual(['big']);
		expect(replay('size-aware', 400, ['s1', 'big', 'x'], size)).toEqual(['big']);
		expect(replay('lru', 400, ['s1', 'big', 'x'], size)).toEqual(['s1']);
	});
	it('none keeps nothing', () => {
		const cache = new WeightCache('none');
		expect(cache.insert('a', 10)).toBe(false);
		expect(cache.take('a')).toBe(false);
		expect(cache.sizeBytes).toBe(0);
	});
});
