/**
 * A buffer the activation arena must hold: one intermediate tensor with its size and the span of
 * execution steps (node indices in execution order) during which it is live, both ends inclusive.
 */
export interface BufferRequest {
	/** The tensor's name in the graph. */
	id: string;
	sizeBytes: number;
	/** Index of the node that produces it (or 0 for a graph input). */
	firstStep: number;
	/** Index of the last node that reads it (or the last step for a graph output). */
	lastStep: number;
}

/** A planner's answer: an offset for every buffer, and the arena size that holds them all. */
export interface ArenaPlan {
	planner: string;
	arenaBytes: number;
	offsets: Record<string, number>;
}
