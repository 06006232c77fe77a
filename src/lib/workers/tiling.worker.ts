/// <reference lib="webworker" />
/** Evaluates and sweeps fused-tile partitions, and runs the tiled and untiled stacks in onnxruntime-web, off the main thread. Messages: see protocol.ts. */
import type { TilingProgress, TilingRequest, TilingResult } from './protocol';
import { serve } from './serve';
import { handleTiling } from './tiling-handler';

serve<TilingRequest, TilingResult, TilingProgress>(
	self as unknown as DedicatedWorkerGlobalScope,
	handleTiling,
	'internal',
	(result) => (result.type === 'measure' ? [result.run.output.buffer as ArrayBuffer] : [])
);
