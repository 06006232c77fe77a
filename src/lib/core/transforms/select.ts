/**
 * Order statistics over float32 weights without comparison sorts: the k-th smallest magnitude by a
 * two-pass histogram over the float bits (|x| as uint32 bits orders like |x|), and a sort by LSD
 * radix over order-preserving keys. Both are O(n) and give exactly what sorting would; the
 * built-in `Float32Array.prototype.sort` took ~0.3 s per million values in Node 20, most of the
 * prune and share time before.
 */

/** The k-th smallest |value| (0-based, clamped to the array), as `Float32Array.from(values, Math.abs).sort()[k]`. */
export function kthSmallestMagnitude(values: Float32Array, k: number): number {
	const n = values.length;
	if (n === 0) return NaN;
	const rank = Math.min(n - 1, Math.max(0, k));
	const words = new Uint32Array(values.buffer, values.byteOffset, n);
	const high = new Uint32Array(65536);
	for (let i = 0; i < n; i++) high[(words[i] & 0x7fffffff) >>> 16]++;
	let bucket = 0;
	let before = 0;
	while (before + high[bucket] <= rank) before += high[bucket++];
	const low = new Uint32Array(65536);
	for (let i = 0; i < n; i++) {
		const w = words[i] & 0x7fffffff;
		if (w >>> 16 === bucket) low[w & 0xffff]++;
	}
	let at = 0;
	while (before + low[at] <= rank) before += low[at++];
	const out = new Uint32Array([((bucket << 16) | at) >>> 0]);
	return new Float32Array(out.buffer)[0];
}

/** Digit counts of the three radix passes (11 + 11 + 10 bits), shared by the calls. */
const counts = [new Int32Array(2048), new Int32Array(2048), new Int32Array(1024)];

/** Turns counts into starting offsets, in place. */
function toOffsets(c: Int32Array): void {
	for (let b = 0, sum = 0; b < c.length; b++) {
		const n = c[b];
		c[b] = sum;
		sum += n;
	}
}

/**
 * A sorted copy of `values` (ascending, −0 before +0, as `Float32Array.prototype.sort`; NaNs,
 * which weights do not hold, go to the ends by sign). LSD radix over order-preserving keys (all
 * bits flipped for negatives, the sign bit for positives): one pass counts all three digits, then
 * three scatter passes, the first computing the keys from the values and the last turning keys
 * back into float bits (from 32768 values: two 16-bit passes). Int32Array, not Uint32Array: V8
 * keeps Uint32 words ≥ 2^31 as doubles.
 * `into` and `spare` (at least `values.length` long) may be given to reuse buffers; the result
 * is a view over `into`.
 */
export function sortFloat32(values: Float32Array, into: Int32Array = new Int32Array(values.length), spare: Int32Array = new Int32Array(values.length)): Float32Array {
	const n = values.length;
	if (n >= WIDE_FROM) return sortWide(values, into, spare);
	const words = new Int32Array(values.buffer, values.byteOffset, n);
	const [c0, c1, c2] = counts;
	c0.fill(0);
	c1.fill(0);
	c2.fill(0);
	for (let i = 0; i < n; i++) {
		const w = words[i];
		const key = w ^ ((w >> 31) | 0x80000000);
		c0[key & 0x7ff]++;
		c1[(key >>> 11) & 0x7ff]++;
		c2[key >>> 22]++;
	}
	toOffsets(c0);
	toOffsets(c1);
	toOffsets(c2);
	const a = into;
	const b = spare;
	for (let i = 0; i < n; i++) {
		const w = words[i];
		const key = w ^ ((w >> 31) | 0x80000000);
		a[c0[key & 0x7ff]++] = key;
	}
	for (let i = 0; i < n; i++) {
		const key = a[i];
		b[c1[(key >>> 11) & 0x7ff]++] = key;
	}
	for (let i = 0; i < n; i++) {
		const key = b[i];
		a[c2[key >>> 22]++] = key ^ (~(key >> 31) | 0x80000000);
	}
	return new Float32Array(a.buffer, a.byteOffset, n);
}

/** From this many values two 16-bit passes beat three 11-bit ones (the counts' fill is paid off). */
const WIDE_FROM = 32768;
const wide = [new Int32Array(65536), new Int32Array(65536)];

/** `sortFloat32` for large arrays: the same keys, two scatter passes of 16-bit digits. */
function sortWide(values: Float32Array, into: Int32Array, spare: Int32Array): Float32Array {
	const n = values.length;
	const words = new Int32Array(values.buffer, values.byteOffset, n);
	const [c0, c1] = wide;
	c0.fill(0);
	c1.fill(0);
	for (let i = 0; i < n; i++) {
		const w = words[i];
		const key = w ^ ((w >> 31) | 0x80000000);
		c0[key & 0xffff]++;
		c1[key >>> 16]++;
	}
	toOffsets(c0);
	toOffsets(c1);
	for (let i = 0; i < n; i++) {
		const w = words[i];
		const key = w ^ ((w >> 31) | 0x80000000);
		spare[c0[key & 0xffff]++] = key;
	}
	for (let i = 0; i < n; i++) {
		const key = spare[i];
		into[c1[key >>> 16]++] = key ^ (~(key >> 31) | 0x80000000);
	}
	return new Float32Array(into.buffer, into.byteOffset, n);
}
