/// <reference lib="webworker" />
/** Runs a sweep of transform combinations off the main thread. Messages: see protocol.ts. */
import type { SweepProgress, SweepRequest, SweepResult } from './protocol';
import { serve } from './serve';
import { handleSweep } from './sweep-handler';

serve<SweepRequest, SweepResult, SweepProgress>(self as unknown as DedicatedWorkerGlobalScope, handleSweep);
