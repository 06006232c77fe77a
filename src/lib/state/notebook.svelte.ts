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
	{ id: 'runtimes', title: 'Runtimes and their own memory' },
	{ id: 'loading', title: 'Loading policies' },
	{ id: 'workloads', title: 'Several models, caches and scheduling' }
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
