/**
 * The notebook frame: which cells exist and which are open. Cells join this list as the features
 * behind them land; there are no placeholder cells.
 */

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

export class NotebookState {
	private closed = $state<Record<string, boolean>>({});

	isOpen(id: string): boolean {
		return !this.closed[id];
	}

	toggle(id: string): void {
		this.closed[id] = !this.closed[id];
	}

	/** Opens a cell (the table of contents does this before scrolling to it). */
	open(id: string): void {
		this.closed[id] = false;
	}
}
