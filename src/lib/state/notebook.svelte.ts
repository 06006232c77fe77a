/**
 * The notebook frame: which cells exist and which are open. Cells join this list as the features
 * behind them land; there are no placeholder cells.
 */
import type { ScenarioState } from './scenario.svelte';

export interface CellInfo {
	id: string;
	title: string;
}

export const CELLS: readonly CellInfo[] = [
	{ id: 'model', title: 'The model and its budget' },
	{ id: 'arena', title: 'The activation arena and its planners' },
	{ id: 'order', title: 'Operator order' },
	{ id: 'device', title: 'Device and ceiling' },
	{ id: 'quantization', title: 'Quantization' },
	{ id: 'pruning', title: 'Pruning' },
	{ id: 'fusion', title: 'Fusion and in-place operations' },
	{ id: 'sharing', title: 'Weight sharing' },
	{ id: 'runtimes', title: 'Runtimes and their own memory' },
	{ id: 'sweep', title: 'Sweep: every combination' },
	{ id: 'loading', title: 'Loading policies' },
	{ id: 'workloads', title: 'Several models, caches and scheduling' },
	{ id: 'tiling', title: 'Fused-tile partitioning' }
];

/**
 * Which cells are open. That is part of the scenario (its `cells`), so a link opens the same cells and
 * back/forward walk through opening and closing them (each toggle is a discrete change).
 */
export class NotebookState {
	// An explicit field, not a parameter property: Svelte strips types from .svelte.ts files without
	// transforming TypeScript-only syntax, so `private readonly scenario` in the signature never assigns.
	private readonly scenario: ScenarioState;

	constructor(scenario: ScenarioState) {
		this.scenario = scenario;
	}

	isOpen(id: string): boolean {
		return this.scenario.isCellOpen(id);
	}

	toggle(id: string): void {
		this.scenario.setCellOpen(id, !this.isOpen(id));
	}

	/** Opens a cell (the table of contents does this before scrolling to it). */
	open(id: string): void {
		this.scenario.setCellOpen(id, true);
	}
}
