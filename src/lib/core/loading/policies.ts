/**
 * Loading policies as per-layer rules, after EdgeCaffe's `InferenceNetwork` (bacox/edgecaffe): bulk loads
 * every layer and then executes; linear loads, executes and frees one layer at a time; interleaved prefetches
 * the next layers while the current one runs; partial keeps a resident prefix and streams the rest.
 * The simulator applies the rules; the ceiling can delay a prefetch further.
 */
import type { LoadingPolicy, ModelSpec } from './types';

/** What a policy asks of one layer. */
export interface LayerRule {
	/**
	 * The load may start only after this layer's execution has ended (−1: no wait). Linear is 0 steps of
	 * lookahead (wait for layer i−1), interleaved with lookahead k waits for layer i−k−1.
	 */
	waitForExecutionOf: number;
	/** Keep the weights until the run ends (bulk, partial prefix) rather than freeing them after execution. */
	holdUntilRunEnd: boolean;
}

export interface PolicyPlan {
	rules: LayerRule[];
	/** Execution of layer 0 waits for every load (bulk). */
	executeAfterAllLoads: boolean;
}

/** Parses `bulk`, `linear`, `interleaved`, `interleaved:3`, `partial:64MB`, `partial:64MB:2`. */
export function parsePolicy(text: string, parseBytes: (s: string) => number): LoadingPolicy {
	const [kind, a, b] = text.trim().toLowerCase().split(':');
	if (kind === 'bulk') return { kind: 'bulk' };
	if (kind === 'linear') return { kind: 'linear' };
	if (kind === 'interleaved') return { kind: 'interleaved', lookahead: a ? positiveInt(a, text) : 1 };
	if (kind === 'partial') {
		if (!a) throw new Error(`policy "${text}": partial needs a budget, e.g. partial:64MB`);
		return { kind: 'partial', budgetBytes: parseBytes(a), lookahead: b ? positiveInt(b, text) : 1 };
	}
	throw new Error(`unknown policy "${text}" (expected bulk, linear, interleaved[:k] or partial:<bytes>[:k])`);
}

function positiveInt(s: string, text: string): number {
	const n = Number(s);
	if (!Number.isInteger(n) || n < 1) throw new Error(`policy "${text}": lookahead must be an integer ≥ 1`);
	return n;
}

/** Short label for tables: `interleaved k=2`, `partial 64 MiB k=1`. */
export function policyLabel(policy: LoadingPolicy): string {
	switch (policy.kind) {
		case 'bulk':
		case 'linear':
			return policy.kind;
		case 'interleaved':
			return `interleaved k=${policy.lookahead}`;
		case 'partial':
			return `partial ${(policy.budgetBytes / 2 ** 20).toFixed(1)} MiB k=${policy.lookahead}`;
	}
}

/** Expands a policy into per-layer rules for one model. */
export function planPolicy(policy: LoadingPolicy, model: ModelSpec): PolicyPlan {
	const n = model.layers.length;
	const streamed = (i: number, k: number): LayerRule => ({ waitForExecutionOf: i - k - 1, holdUntilRunEnd: false });
	switch (policy.kind) {
		case 'bulk':
			return {
				rules: model.layers.map(() => ({ waitForExecutionOf: -1, holdUntilRunEnd: true })),
				executeAfterAllLoads: true
			};
		case 'linear':
			return { rules: Array.from({ length: n }, (_, i) => streamed(i, 0)), executeAfterAllLoads: false };
		case 'interleaved':
			return {
				rules: Array.from({ length: n }, (_, i) => streamed(i, Math.max(1, policy.lookahead))),
				executeAfterAllLoads: false
			};
		case 'partial': {
			const rules: LayerRule[] = [];
			let prefixBytes = 0;
			let inPrefix = true;
			for (let i = 0; i < n; i++) {
				// The prefix is the longest run of leading layers that fits the budget; after it, stream.
				if (inPrefix && prefixBytes + model.layers[i].weightBytes <= policy.budgetBytes) {
					prefixBytes += model.layers[i].weightBytes;
					rules.push({ waitForExecutionOf: -1, holdUntilRunEnd: true });
				} else {
					inPrefix = false;
					rules.push(streamed(i, Math.max(1, policy.lookahead)));
				}
			}
			return { rules, executeAfterAllLoads: false };
		}
	}
}

/** The policy for a model: a single policy, or a per-model map with an optional `default`. */
export function policyFor(policy: LoadingPolicy | Record<string, LoadingPolicy>, modelId: string): LoadingPolicy {
	if ('kind' in policy && typeof policy.kind === 'string') return policy as LoadingPolicy;
	const map = policy as Record<string, LoadingPolicy>;
	const chosen = map[modelId] ?? map.default;
	if (!chosen) throw new Error(`no loading policy for model "${modelId}" and no default`);
	return chosen;
}
