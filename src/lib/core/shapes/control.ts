import type { Dim, Graph } from '../ir/types';
import { ShapeError, type OpContext, type OpInfer, type OutputInfo } from './types';
import { passThrough } from './reshape';
import { numbersOf } from './util';

function branch(ctx: OpContext, name: string): Graph {
	const a = ctx.node.attrs[name];
	if (a?.type !== 'graph') throw new ShapeError(`${ctx.node.name || 'If'} has no ${name}`);
	return a.value;
}

/** Two branch results merged: same dtype and rank required; differing dims become fresh symbols. */
function merge(ctx: OpContext, a: OutputInfo, b: OutputInfo, i: number): OutputInfo {
	if (a.dtype !== b.dtype) throw new ShapeError(`If branches disagree on output ${i}'s type (${a.dtype} vs ${b.dtype})`);
	if (!a.shape || !b.shape || a.shape.length !== b.shape.length) return { dtype: a.dtype, shape: null };
	const shape: Dim[] = a.shape.map((d, j) => (d === b.shape![j] ? d : ctx.fresh(i, j)));
	return { dtype: a.dtype, shape };
}

/**
 * If: with a condition folded to a constant, the taken branch is inferred (seeing outer-scope values).
 * Otherwise both are; when only one can be inferred on these shapes (Silero VAD's 8 kHz branch on
 * a 512-sample 16 kHz frame), that one is taken; when both can, their outputs are merged.
 */
const ifOp: OpInfer = (ctx) => {
	const cond = ctx.known(0);
	const c = cond && numbersOf(cond);
	if (c && c.length === 1) {
		const which = c[0] ? 'then_branch' : 'else_branch';
		return ctx.subgraph(branch(ctx, which), { branch: which, reason: 'condition-folded' });
	}
	const thenOut = ctx.trySubgraph(branch(ctx, 'then_branch'));
	const elseOut = ctx.trySubgraph(branch(ctx, 'else_branch'));
	if (thenOut && elseOut) return thenOut.map((t, i) => merge(ctx, t, elseOut[i], i));
	if (thenOut) return ctx.subgraph(branch(ctx, 'then_branch'), { branch: 'then_branch', reason: 'other-branch-invalid' });
	if (elseOut) return ctx.subgraph(branch(ctx, 'else_branch'), { branch: 'else_branch', reason: 'other-branch-invalid' });
	// Neither branch infers: run the then-branch for real so its problems are reported by node.
	return ctx.subgraph(branch(ctx, 'then_branch'));
};

export const controlOps: Record<string, OpInfer> = {
	If: ifOp,
	Identity: (ctx) => [passThrough(ctx)]
};
