/**
 * The trade-off curve: every depth L and grid N×M, with peak memory per device, extra MACs and
 * modelled latency, and the configuration chosen for a memory ceiling.
 */
import type { Model } from '../ir/types';
import { evaluateTiling } from './evaluate';
import type { Grid } from './partition';
import type { ScheduleOptions } from './schedule';
import { fusedStack, type StackOptions } from './stack';

export interface SweepOptions extends ScheduleOptions {
	/** Depths to try, counted from `stack.from` (default 1 … every fusable layer). */
	depths?: number[];
	/** Grids to try (default 1×1 … 5×5, square); grids finer than a depth's output map are skipped. */
	grids?: Grid[];
	/** Activation memory a device may use, bytes; without it nothing is chosen. */
	ceilingBytes?: number;
	stack?: Omit<StackOptions, 'layers' | 'values'>;
}

export interface SweepPoint {
	layers: number;
	grid: Grid;
	untiledPeakBytes: number;
	maxPeakBytes: number;
	extraMacsRatio: number;
	latencySeconds: number;
	bytesSent: number;
	/** maxPeakBytes ≤ ceiling and every device's peak plus the weights fit its own RAM (false without a ceiling). */
	fits: boolean;
}

export interface SweepResult {
	points: SweepPoint[];
	/** The chosen configuration under the ceiling, or null when none fits or no ceiling was given. */
	choice: SweepPoint | null;
	/** How the choice is made, in words. */
	rule: string;
}

export const SWEEP_RULE =
	'deepest fused stack whose peak per device fits the ceiling (the most early-layer memory taken off one device, as DeepThings fuses as many early layers as fit), then the fewest tiles (least halo recompute), then the lowest modelled latency';

export const SQUARE_GRIDS: readonly Grid[] = [1, 2, 3, 4, 5].map((n) => ({ rows: n, cols: n }));

/** Evaluates every (depth, grid) pair; shape inference runs once. */
export function sweepTiling(model: Model, options: SweepOptions): SweepResult {
	const deepest = fusedStack(model, options.stack ?? {});
	const depths = options.depths ?? Array.from({ length: deepest.layers }, (_, i) => i + 1);
	const points: SweepPoint[] = [];
	for (const layers of depths) {
		const stack = fusedStack(model, { ...options.stack, layers, values: deepest.values });
		const [, , h, w] = stack.shapes[stack.output];
		for (const grid of options.grids ?? SQUARE_GRIDS) {
			if (grid.rows > h || grid.cols > w) continue;
			const r = evaluateTiling(stack, grid, options);
			points.push({
				layers: stack.layers,
				grid,
				untiledPeakBytes: r.untiled.peakBytes,
				maxPeakBytes: r.tiled.maxPeakBytes,
				extraMacsRatio: r.tiled.extraMacsRatio,
				latencySeconds: r.tiled.latencySeconds,
				bytesSent: r.tiled.bytesSent,
				fits: options.ceilingBytes !== undefined && r.tiled.maxPeakBytes <= options.ceilingBytes && r.fitsPerDevice.every(Boolean)
			});
		}
	}
	const fitting = points.filter((p) => p.fits);
	fitting.sort((a, b) => b.layers - a.layers || a.grid.rows * a.grid.cols - b.grid.rows * b.grid.cols || a.latencySeconds - b.latencySeconds);
	return { points, choice: fitting[0] ?? null, rule: SWEEP_RULE };
}
