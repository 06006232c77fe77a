/// <reference lib="webworker" />
/** Parses a model and computes its summary off the main thread. Messages: see protocol.ts. */
import { handleAnalysis } from './analysis-handler';
import type { AnalysisProgress, AnalysisRequest, AnalysisResult } from './protocol';
import { serve } from './serve';

serve<AnalysisRequest, AnalysisResult, AnalysisProgress>(self as unknown as DedicatedWorkerGlobalScope, handleAnalysis);
