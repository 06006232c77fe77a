/// <reference lib="webworker" />
/** Simulates loading policies and workloads, and measures policies in onnxruntime-web, off the main thread. Messages: see protocol.ts. */
import { handleLoading } from './loading-handler';
import type { LoadingProgress, LoadingRequest, LoadingResult } from './protocol';
import { serve } from './serve';

serve<LoadingRequest, LoadingResult, LoadingProgress>(self as unknown as DedicatedWorkerGlobalScope, handleLoading);
