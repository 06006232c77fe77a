/**
 * What is in RAM during a simulation: weights held by the running model (until a known time, or until the run
 * ends), weights left in the cache (evictable), and a ledger of every change for the memory step function.
 * Invariant the simulator keeps: held + cached + activation reserve ≤ ceiling after every load, unless the load
 * is reported as a swap.
 */
import { WeightCache } from './cache';
import type { CacheKind, MemoryPoint } from './types';

interface Held {
	key: string;
	sizeBytes: number;
	freeAtMs: number;
}

export class Residency {
	readonly cache: WeightCache;
	evictions = 0;
	/**
	 * Flat (timeMs, deltaBytes) pairs in time order. Model runs never overlap in time, so each run's changes
	 * (`pending`) are sorted on their own when it ends and appended: no sort over the whole simulation.
	 */
	private readonly ledger: number[] = [];
	private pending: number[] = [];
	/** Held until a known time, in ascending `freeAtMs` (executions end in layer order). */
	private finite: Held[] = [];
	private finiteHead = 0;
	private readonly untilRunEnd = new Map<string, number>();
	private untilRunEndBytes = 0;

	constructor(
		readonly ceilingBytes: number,
		cacheKind: CacheKind,
		reloadCostMs: (sizeBytes: number) => number
	) {
		this.cache = new WeightCache(cacheKind, reloadCostMs);
	}

	change(timeMs: number, deltaBytes: number): void {
		if (deltaBytes !== 0) this.pending.push(timeMs, deltaBytes);
	}

	/** Weights no release can touch at `timeMs`: held until the run ends or until later than `timeMs`. */
	pinnedAt(timeMs: number): number {
		let bytes = this.untilRunEndBytes;
		for (let i = this.finiteHead; i < this.finite.length; i++) {
			if (this.finite[i].freeAtMs > timeMs) bytes += this.finite[i].sizeBytes;
		}
		return bytes;
	}

	/**
	 * The earliest time ≥ `fromMs` at which `needBytes` more fit beside the pinned weights (the cache can always
	 * be evicted). When no release makes room, the time that leaves the least overflow, and `fits: false`.
	 */
	earliestFit(fromMs: number, needBytes: number): { timeMs: number; fits: boolean } {
		let pinned = this.pinnedAt(fromMs);
		if (pinned + needBytes <= this.ceilingBytes) return { timeMs: fromMs, fits: true };
		let timeMs = fromMs;
		for (let i = this.finiteHead; i < this.finite.length; i++) {
			const held = this.finite[i];
			if (held.freeAtMs <= fromMs) continue;
			pinned -= held.sizeBytes;
			timeMs = held.freeAtMs;
			if (pinned + needBytes <= this.ceilingBytes) return { timeMs, fits: true };
		}
		return { timeMs, fits: false };
	}

	/** Releases everything whose hold ended by `timeMs`: into the cache, or freed. */
	settle(timeMs: number): void {
		while (this.finiteHead < this.finite.length && this.finite[this.finiteHead].freeAtMs <= timeMs) {
			const held = this.finite[this.finiteHead++];
			this.release(held.key, held.sizeBytes, held.freeAtMs);
		}
		if (this.finiteHead > 1024 && this.finiteHead * 2 > this.finite.length) {
			this.finite = this.finite.slice(this.finiteHead);
			this.finiteHead = 0;
		}
	}

	/** Evicts cache entries at `timeMs` until `needBytes` more fit; the bytes still over the ceiling. */
	makeRoom(timeMs: number, needBytes: number): number {
		const pinned = this.pinnedAt(timeMs);
		while (pinned + this.cache.sizeBytes + needBytes > this.ceilingBytes) {
			const evicted = this.cache.evict();
			if (!evicted) break;
			this.evictions++;
			this.change(timeMs, -evicted.sizeBytes);
		}
		return Math.max(0, pinned + this.cache.sizeBytes + needBytes - this.ceilingBytes);
	}

	holdUntil(key: string, sizeBytes: number, freeAtMs: number): void {
		this.finite.push({ key, sizeBytes, freeAtMs });
	}

	holdUntilRunEnd(key: string, sizeBytes: number): void {
		this.untilRunEnd.set(key, sizeBytes);
		this.untilRunEndBytes += sizeBytes;
	}

	/** Ends a model run at `timeMs`: every hold is released. */
	endRun(timeMs: number): void {
		this.settle(timeMs);
		for (const [key, size] of this.untilRunEnd) this.release(key, size, timeMs);
		this.untilRunEnd.clear();
		this.untilRunEndBytes = 0;
		this.flush();
	}

	/**
	 * Sorts the pending changes by time (stable) and appends them to the ledger. They arrive almost in order
	 * (a prefetch is recorded before the execution it overlaps), so an insertion sort is close to linear; a
	 * run that is far from ordered falls back to a full sort.
	 */
	private flush(): void {
		const p = this.pending;
		const pairs = p.length / 2;
		let moves = 0;
		for (let i = 1; i < pairs && moves <= 8 * pairs; i++) {
			const t = p[2 * i];
			const d = p[2 * i + 1];
			let j = i - 1;
			while (j >= 0 && p[2 * j] > t) {
				p[2 * j + 2] = p[2 * j];
				p[2 * j + 3] = p[2 * j + 1];
				j--;
				moves++;
			}
			p[2 * j + 2] = t;
			p[2 * j + 3] = d;
		}
		if (moves > 8 * pairs) {
			const order = Array.from({ length: pairs }, (_, i) => 2 * i).sort((a, b) => p[a] - p[b] || a - b);
			for (const i of order) this.ledger.push(p[i], p[i + 1]);
		} else for (let i = 0; i < p.length; i++) this.ledger.push(p[i]);
		this.pending = [];
	}

	private release(key: string, sizeBytes: number, timeMs: number): void {
		if (!this.cache.insert(key, sizeBytes)) this.change(timeMs, -sizeBytes);
	}

	/** The step function of bytes in use, one point per distinct time. */
	memoryCurve(): MemoryPoint[] {
		this.flush();
		const l = this.ledger;
		const points: MemoryPoint[] = [{ timeMs: 0, bytes: 0 }];
		let bytes = 0;
		for (let i = 0; i < l.length; i += 2) {
			const timeMs = l[i];
			bytes += l[i + 1];
			const last = points[points.length - 1];
			if (timeMs < last.timeMs) throw new Error(`memory ledger out of order at ${timeMs} ms (after ${last.timeMs} ms)`);
			if (last.timeMs === timeMs) last.bytes = bytes;
			else points.push({ timeMs, bytes });
		}
		return points;
	}
}
