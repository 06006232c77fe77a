/// <reference lib="webworker" />
/** Transforms a model (fuse, prune, share, quantize), exports and compares it off the main thread. Messages: see protocol.ts. */
import type { TransformProgress, TransformRequest, TransformResult } from './protocol';
import { serve } from './serve';
import { handleTransform } from './transform-handler';

serve<TransformRequest, TransformResult, TransformProgress>(
	self as unknown as DedicatedWorkerGlobalScope,
	handleTransform,
	'internal',
	(result) => [result.bytes.buffer as ArrayBuffer]
);
