/**
 * The ledger's measured side in this browser: onnxruntime-web's WASM heap read around one session (before
 * creating it, after creating it, after the runs). A WASM memory only grows, so each figure is the heap's
 * high-water mark so far, and each growth is what that phase needed beyond what the heap already had.
 */

/** The WASM heap around one session, as the inference worker read it. */
export type MeasuredHeap =
	| {
			available: true;
			beforeSessionBytes: number;
			afterSessionBytes: number;
			afterRunBytes: number;
			/** Warm-up + timed runs between the second and third reading. */
			runs: number;
			/** How the heap was read, and what limits the figures. */
			basis: string;
	  }
	| { available: false; basis: string };

export interface MeasuredTerm {
	id: 'heap-session' | 'heap-run';
	label: string;
	bytes: number;
	kind: 'measured';
	basis: string;
}

/**
 * The measured ledger rows: heap growth while creating the session (runtime heap, weights, the session's
 * own buffers) and while running (activations and scratch not reserved up front). Empty when the heap was
 * not readable.
 * @throws Error when the readings go down (a WASM memory cannot shrink: they are not one session's).
 */
export function measuredTerms(heap: MeasuredHeap | null | undefined): MeasuredTerm[] {
	if (!heap?.available) return [];
	const { beforeSessionBytes: before, afterSessionBytes: session, afterRunBytes: run } = heap;
	if (!(before >= 0 && session >= before && run >= session))
		throw new Error(`WASM heap readings ${before} → ${session} → ${run} B go down: a WASM memory only grows, so they are not one session's`);
	const already = before > 0 ? ` (this context already had ${before} B: a session before this one, so the growth is understated)` : '';
	return [
		{
			id: 'heap-session', label: 'WASM heap growth: creating the session', bytes: session - before, kind: 'measured',
			basis: `${heap.basis}: ${before} B before creating the session, ${session} B after (runtime heap, weights, the session's buffers)${already}`
		},
		{
			id: 'heap-run', label: 'WASM heap growth: running', bytes: run - session, kind: 'measured',
			basis: `${heap.basis}: ${session} B → ${run} B over ${heap.runs} runs (activations and scratch the session had not reserved)`
		}
	];
}
