/// <reference lib="webworker" />
/** Runs a model in onnxruntime-web off the main thread and times it. Messages: see protocol.ts. */
import { handleInference } from './inference-handler';
import type { InferenceProgress, InferenceRequest, InferenceResult } from './protocol';
import { serve } from './serve';

serve<InferenceRequest, InferenceResult, InferenceProgress>(
	self as unknown as DedicatedWorkerGlobalScope,
	handleInference,
	'engine'
);
