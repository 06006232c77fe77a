/**
 * Size of symbols under an optimal prefix (Huffman) code: Σ frequency × code length. Only the
 * length matters for storage figures, so no bit stream is produced.
 */

/** Code length in bits of each symbol 0..alphabet−1 (0 for unused symbols). */
export function huffmanLengths(frequencies: ArrayLike<number>): Uint8Array {
	const lengths = new Uint8Array(frequencies.length);
	type Tree = { weight: number; symbols: number[] };
	let heap: Tree[] = [];
	for (let s = 0; s < frequencies.length; s++) if (frequencies[s] > 0) heap.push({ weight: frequencies[s], symbols: [s] });
	if (heap.length === 1) lengths[heap[0].symbols[0]] = 1;
	// Alphabets here have at most 256 symbols, so a sorted array is simpler than a binary heap.
	while (heap.length > 1) {
		heap.sort((a, b) => a.weight - b.weight);
		const [a, b] = heap;
		for (const s of a.symbols) lengths[s]++;
		for (const s of b.symbols) lengths[s]++;
		heap = [{ weight: a.weight + b.weight, symbols: [...a.symbols, ...b.symbols] }, ...heap.slice(2)];
	}
	return lengths;
}

/** Total bits to Huffman-code `symbols` drawn from an alphabet of `alphabet` symbols. */
export function huffmanBits(symbols: ArrayLike<number>, alphabet: number): number {
	const freq = new Uint32Array(alphabet);
	for (let i = 0; i < symbols.length; i++) freq[symbols[i]]++;
	return huffmanBitsOfCounts(freq);
}

/** Total bits to Huffman-code symbols occurring `freq[s]` times each. */
export function huffmanBitsOfCounts(freq: ArrayLike<number>): number {
	const lengths = huffmanLengths(freq);
	let bits = 0;
	for (let s = 0; s < freq.length; s++) bits += freq[s] * lengths[s];
	return bits;
}
