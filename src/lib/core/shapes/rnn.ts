import type { Dim } from '../ir/types';
import type { OpInfer } from './types';
import { attrInt, attrString, need } from './util';

/**
 * LSTM / GRU / RNN (X, W, R, …). X is [seq, batch, input] (layout 0) or [batch, seq, input]
 * (layout 1); hidden_size comes from the attribute, else from R = [dirs, gates·hidden, hidden].
 * Y is [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs, hidden]); Y_h and Y_c are
 * [dirs, batch, hidden] (layout 1: [batch, dirs, hidden]).
 */
function recurrent(): OpInfer {
	return (ctx) => {
		const x = need(ctx, 0);
		const r = need(ctx, 2);
		const layout = attrInt(ctx.node, 'layout', 0);
		const dirs = attrString(ctx.node, 'direction', 'forward') === 'bidirectional' ? 2 : 1;
		const hidden: Dim = attrInt(ctx.node, 'hidden_size') ?? r[2];
		const [seq, batch] = layout === 0 ? [x[0], x[1]] : [x[1], x[0]];
		const dtype = ctx.dtype(0);
		const y = layout === 0 ? [seq, dirs, batch, hidden] : [batch, seq, dirs, hidden];
		const state = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
		return ctx.node.outputs.map((_, i) => ({ dtype, shape: i === 0 ? y : state }));
	};
}

export const rnnOps: Record<string, OpInfer> = { LSTM: recurrent(), GRU: recurrent(), RNN: recurrent() };
