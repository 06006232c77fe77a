/**
 * Caches of resident weights under the ceiling. An entry is a layer's weights that no running layer needs:
 * it may stay in RAM for a later task, and is evicted when a load needs room.
 * - lru: evict the entry released longest ago.
 * - lfu: evict the entry used least often over the whole run (ties: longest ago).
 * - size-aware: GreedyDual-Size (Cao & Irani, USITS 1997): priority H = L + cost/size, evict the lowest H and
 *   raise L to it, so large entries that are cheap per byte to reload go first, and old entries age out.
 * - none: nothing stays; every release frees at once.
 */
import type { CacheKind } from './types';

interface Entry {
	sizeBytes: number;
	version: number;
}

interface HeapItem {
	key: string;
	priority: number;
	seq: number;
	version: number;
}

export class WeightCache {
	readonly kind: CacheKind;
	private readonly entries = new Map<string, Entry>();
	private readonly uses = new Map<string, number>();
	private readonly heap: HeapItem[] = [];
	private seq = 0;
	private inflation = 0;
	private bytes = 0;

	/** `reloadCostMs(size)`: time to read an entry back, the GreedyDual-Size cost. */
	constructor(kind: CacheKind, private readonly reloadCostMs: (sizeBytes: number) => number = (s) => s) {
		this.kind = kind;
	}

	get sizeBytes(): number {
		return this.bytes;
	}

	get count(): number {
		return this.entries.size;
	}

	has(key: string): boolean {
		return this.entries.has(key);
	}

	/** Counts a use of `key` (for LFU), whether or not it is resident. */
	recordUse(key: string): void {
		this.uses.set(key, (this.uses.get(key) ?? 0) + 1);
	}

	/** Removes `key` to hand it to a running layer; true when it was resident (a hit). */
	take(key: string): boolean {
		const entry = this.entries.get(key);
		if (!entry) return false;
		this.entries.delete(key);
		this.bytes -= entry.sizeBytes;
		return true;
	}

	/** Offers released weights; returns false (and keeps nothing) when the kind is `none`. */
	insert(key: string, sizeBytes: number): boolean {
		if (this.kind === 'none') return false;
		// The sequence number doubles as the version, so heap items left by an earlier residency go stale.
		const version = this.seq++;
		if (this.entries.has(key)) this.take(key);
		this.entries.set(key, { sizeBytes, version });
		this.bytes += sizeBytes;
		this.push({ key, priority: this.priorityOf(key, sizeBytes), seq: version, version });
		return true;
	}

	/** Evicts the entry the policy picks; undefined when empty. */
	evict(): { key: string; sizeBytes: number } | undefined {
		while (this.heap.length > 0) {
			const item = this.pop();
			const entry = this.entries.get(item.key);
			if (!entry || entry.version !== item.version) continue;
			if (this.kind === 'size-aware') this.inflation = item.priority;
			this.take(item.key);
			return { key: item.key, sizeBytes: entry.sizeBytes };
		}
		return undefined;
	}

	private priorityOf(key: string, sizeBytes: number): number {
		switch (this.kind) {
			case 'lfu':
				return this.uses.get(key) ?? 0;
			case 'size-aware':
				return this.inflation + this.reloadCostMs(sizeBytes) / Math.max(1, sizeBytes);
			default:
				return 0; // lru: insertion order alone (seq) decides
		}
	}

	private less(a: HeapItem, b: HeapItem): boolean {
		return a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq);
	}

	private push(item: HeapItem): void {
		const h = this.heap;
		h.push(item);
		let i = h.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!this.less(h[i], h[parent])) break;
			[h[i], h[parent]] = [h[parent], h[i]];
			i = parent;
		}
	}

	private pop(): HeapItem {
		const h = this.heap;
		const top = h[0];
		const last = h.pop() as HeapItem;
		if (h.length > 0) {
			h[0] = last;
			let i = 0;
			for (;;) {
				const l = 2 * i + 1;
				const r = l + 1;
				let m = i;
				if (l < h.length && this.less(h[l], h[m])) m = l;
				if (r < h.length && this.less(h[r], h[m])) m = r;
				if (m === i) break;
				[h[i], h[m]] = [h[m], h[i]];
				i = m;
			}
		}
		return top;
	}
}
