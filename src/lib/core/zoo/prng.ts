/**
 * A tiny seeded PRNG so every synthesised input is identical in Node and in every browser.
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, plenty for test signals.
 */

/** A generator of uniform floats in [0, 1). */
export type Random = () => number;

/** mulberry32 seeded with the low 32 bits of `seed`. Same seed, same sequence, everywhere. */
export function mulberry32(seed: number): Random {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Standard normal samples from a uniform generator (Box–Muller, cosine branch only, so each call
 * consumes exactly two uniforms and sequences stay aligned whatever the caller does with them).
 */
export function gaussian(random: Random): () => number {
	return () => {
		const u = 1 - random(); // (0, 1], so the log is finite
		const w = random();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
	};
}
