/**
 * Applying a smaller variant offered after an out-of-memory failure (engines/oom.ts): it changes the
 * scenario — int8 weight-only quantization, or the tiling cell — and opens the cell that shows it.
 */
import type { SmallerVariantId } from '../engines/oom';
import type { ScenarioState } from './scenario.svelte';

/** The cell each variant is shown in. */
export const VARIANT_CELL: Record<SmallerVariantId, string> = { 'int8-weight': 'quantization', tiling: 'tiling' };

/** Sets the scenario to `id` and opens its cell; returns that cell's id (the view scrolls it into sight). */
export function applySmallerVariant(scenario: ScenarioState, id: SmallerVariantId): string {
	if (id === 'int8-weight') scenario.setQuantize('int8-weight');
	scenario.setCellOpen(VARIANT_CELL[id], true);
	return VARIANT_CELL[id];
}
