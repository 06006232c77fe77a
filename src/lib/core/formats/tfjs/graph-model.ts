/**
 * TF.js graph models (a TensorFlow GraphDef in model.json) → IR graph.
 */
import type { Graph } from '../../ir/types';
import type { DecodedWeight } from './model-json';

/** Converts a graph model's topology. */
export function graphModelGraph(topology: Record<string, unknown>, weights: Map<string, DecodedWeight>): Graph {
	void topology;
	void weights;
	throw new Error('TF.js graph models are not supported yet');
}
