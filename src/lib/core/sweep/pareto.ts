/**
 * The Pareto (non-dominated) set of sweep points over three objectives: footprint bytes (lower is
 * better), latency (lower is better) and fidelity as SQNR in dB (higher is better; Infinity for an
 * output identical to the original's).
 */

export interface Objectives {
	bytes: number;
	/** null when it could not be measured: such a point is never on the front. */
	latencyMs: number | null;
	sqnrDb: number | null;
}

/** True when `a` is at least as good as `b` in every objective and better in one. */
export function dominates(a: Objectives, b: Objectives): boolean {
	if (a.latencyMs === null || a.sqnrDb === null || b.latencyMs === null || b.sqnrDb === null) return false;
	const noWorse = a.bytes <= b.bytes && a.latencyMs <= b.latencyMs && a.sqnrDb >= b.sqnrDb;
	const better = a.bytes < b.bytes || a.latencyMs < b.latencyMs || a.sqnrDb > b.sqnrDb;
	return noWorse && better;
}

/**
 * For each point, whether it is on the Pareto front: complete (no null objective) and dominated by
 * no other point. Points with equal objectives are all kept. O(n²), fine for a capped sweep.
 */
export function paretoFront<T>(points: readonly T[], objectives: (p: T) => Objectives): boolean[] {
	const obj = points.map(objectives);
	return obj.map((o) => o.latencyMs !== null && o.sqnrDb !== null && !obj.some((other) => dominates(other, o)));
}
