/**
 * A small seeded generator for the fuzz harness: every case is a pure function of (seed, index), so
 * a failure found in a long run replays exactly from its two numbers.
 */

/** Random numbers from one 32-bit seed (mulberry32: fast, good enough to pick mutations). */
export class Rng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)];
	}

	chance(p: number): boolean {
		return this.next() < p;
	}
}

/** The generator for case `index` of a run seeded with `seed` (independent of the other cases). */
export function caseRng(seed: number, index: number): Rng {
	return new Rng(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}
