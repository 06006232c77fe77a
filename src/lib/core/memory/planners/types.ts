/**
 * Shared types of the activation-arena planners. Every planner is a pure function
 * `(buffers, options) => ArenaPlan` (plus its own report fields) over the buffers that
 * `activationBuffers` derives from a graph and an execution order.
 */
import type { ArenaPlan, BufferRequest } from '../types';

/** Options every planner accepts; each ignores those it has no use for. */
export interface PlannerOptions {
	/**
	 * Every offset is a multiple of this and every buffer is rounded up to it, in bytes (default 1).
	 * TFLite Micro aligns arena buffers to 16 bytes; pass 16 to model it.
	 */
	alignmentBytes?: number;
	/** Arena capacity in bytes. Heap planners report the first step where an allocation fails under it. */
	ceilingBytes?: number;
	/**
	 * For the in-place planner: ids of buffers (node outputs) whose producing op is elementwise and may
	 * write over an input that dies at that op. Fusion marks them.
	 */
	inPlaceEligible?: readonly string[];
	/**
	 * For the in-place planner: output id → the ids of the producing op's inputs. Without it, any buffer
	 * whose last step is the output's first step counts as an input of that op (it must be: its last
	 * reader is the op that runs at that step).
	 */
	inPlaceInputs?: Readonly<Record<string, readonly string[]>>;
}

/** A plan may declare output → input aliases: those two buffers share bytes on purpose. */
export interface AliasedPlan extends ArenaPlan {
	aliases?: Record<string, string>;
}

export type Planner<P extends ArenaPlan = ArenaPlan> = (
	buffers: readonly BufferRequest[],
	options?: PlannerOptions
) => P;

/** A registry entry: what the notebook shows next to each planner. */
export interface PlannerInfo {
	id: string;
	name: string;
	/** One line a newcomer can read. */
	explanation: string;
	/** 'bound' entries give a lower bound on the arena, not placeable offsets. */
	kind: 'planner' | 'bound';
	plan: Planner;
}
