/// <reference lib="webworker" />
/** Runs a model in TensorFlow.js (webgl/wasm/cpu) or onnxruntime-web and reads the runtime's own memory. Messages: see protocol.ts. */
import { handleRuntime } from './tfjs-handler';
import type { RuntimeProgress, RuntimeRequest, RuntimeResult } from './protocol';
import { serve } from './serve';

serve<RuntimeRequest, RuntimeResult, RuntimeProgress>(self as unknown as DedicatedWorkerGlobalScope, handleRuntime, 'engine');
