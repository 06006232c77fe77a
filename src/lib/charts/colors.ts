/** Series colours shared by the memory views and the figures panel (one per ledger term / quantity). */
export const SERIES_COLORS: Record<string, string> = {
	weights: '#3b6fd8',
	arena: '#2a9d6f',
	io: '#c9821b',
	runtime: '#7a7f8c',
	scratch: '#b04a8f',
	// The ledger's measured rows: the heap a session takes (weights and runtime), and what running adds (activations).
	'heap-session': '#3b6fd8',
	'heap-run': '#2a9d6f',
	latency: '#3b6fd8',
	energy: '#c9821b'
};

export function seriesColor(id: string): string {
	return SERIES_COLORS[id] ?? '#5b6475';
}

/** A stable fill colour for a tensor in the memory map (hue from its name), readable with dark text. */
export function tensorColor(id: string): string {
	let h = 0;
	for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
	return `hsl(${h % 360} 55% 62%)`;
}
