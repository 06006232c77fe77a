import { describe, expect, it } from 'vitest';
import { DEFAULT_OPEN_CELLS } from '../core/scenario/defaults.ts';
import { CELLS, NotebookState } from './notebook.svelte.ts';
import { ScenarioState } from './scenario.svelte.ts';

/** Cells that start closed for a new visitor (none today); a cell added later goes here or into a new format version. */
const CLOSED_BY_DEFAULT: readonly string[] = [];

describe('NotebookState', () => {
	it('a new visitor sees every cell open', () => {
		const notebook = new NotebookState(new ScenarioState());
		for (const cell of CELLS) expect(notebook.isOpen(cell.id), cell.id).toBe(!CLOSED_BY_DEFAULT.includes(cell.id));
		expect(DEFAULT_OPEN_CELLS[0]).toBe('model');
	});

	it('open cells live in the scenario; each toggle is one discrete change', () => {
		const scenario = new ScenarioState();
		const notebook = new NotebookState(scenario);
		notebook.toggle('arena');
		expect(notebook.isOpen('arena')).toBe(false);
		expect(scenario.current.cells).not.toContain('arena');
		expect(scenario.lastChange).toEqual({ seq: 1, kind: 'discrete', origin: 'user' });
		notebook.open('arena');
		notebook.open('arena');
		expect(scenario.lastChange.seq).toBe(2);
		// Reopened in the notebook's order, so the scenario is the default again (and its link the shortest).
		expect(scenario.current.cells).toEqual([...DEFAULT_OPEN_CELLS]);
	});

	it('follows a scenario from a link', () => {
		const scenario = new ScenarioState();
		const notebook = new NotebookState(scenario);
		scenario.apply({ ...scenario.snapshot(), cells: ['model', 'tiling'] });
		expect(notebook.isOpen('tiling')).toBe(true);
		expect(notebook.isOpen('arena')).toBe(false);
	});
});
