/**
 * Executes the loading policies for real in onnxruntime-web, on a model split into blocks (measured mode):
 * - bulk: read the whole model from the store, create one session, run it, release it;
 * - linear: for each block in turn read it, create its session, run, release;
 * - interleaved: start reading and creating block i+1's session before running block i.
 * Tensors flow between blocks as ort.Tensor (no copies); a value is disposed once no later block reads it.
 * Each call is one cold pass (loading included), as a device that cannot keep the model resident would do.
 */
import * as ort from 'onnxruntime-web';
import type { StoredBlock } from './block-store';
import { threadCount, type Capabilities } from './capabilities';
import type { PlainTensor } from './engine';
import { toOrtTensor } from './ort';

export type ExecutedPolicy = 'bulk' | 'linear' | 'interleaved';

let configured = false;

/** ort.env is global and fixed once the runtime has started; the same settings the engine uses (ort.ts). */
export function configureOrt(wasmPaths: string, capabilities: Capabilities): number {
	const threads = threadCount(capabilities);
	if (!configured) {
		if (wasmPaths) ort.env.wasm.wasmPaths = wasmPaths;
		ort.env.wasm.numThreads = threads;
		ort.env.wasm.proxy = false;
		ort.env.logLevel = 'error';
		configured = true;
	}
	return ort.env.wasm.numThreads ?? threads;
}

export const ortVersion = (): string => ort.env.versions.web ?? '';

export interface PassTiming {
	totalMs: number;
	/** Time spent creating sessions (awaited by the pass; interleaved overlaps part of it with runs). */
	createMs: number;
	/** Names of the model outputs produced (the last block's, or the whole model's). */
	outputs: string[];
}

const options: ort.InferenceSession.SessionOptions = { executionProviders: ['wasm'] };

/** One cold pass of `policy`. `read(i)` fetches block i's bytes (-1: the whole model) from the store. */
export async function runPass(
	policy: ExecutedPolicy,
	blocks: readonly StoredBlock[],
	read: (index: number) => Promise<Uint8Array>,
	feeds: Record<string, PlainTensor>
): Promise<PassTiming> {
	const env = new Map<string, ort.Tensor>(Object.entries(feeds).map(([k, v]) => [k, toOrtTensor(v)]));
	let createMs = 0;
	const create = async (index: number) => {
		const bytes = await read(index);
		const t0 = performance.now();
		const session = await ort.InferenceSession.create(bytes, options);
		createMs += performance.now() - t0;
		return session;
	};
	const run = async (session: ort.InferenceSession) => {
		const input: Record<string, ort.Tensor> = {};
		for (const name of session.inputNames) {
			const t = env.get(name);
			if (!t) throw new Error(`No value '${name}' for a block input`);
			input[name] = t;
		}
		const out = await session.run(input);
		for (const [k, v] of Object.entries(out)) env.set(k, v);
		return Object.keys(out);
	};
	const t0 = performance.now();
	let outputs: string[] = [];
	try {
		if (policy === 'bulk') {
			const session = await create(-1);
			try {
				outputs = await run(session);
			} finally {
				await session.release();
			}
		} else {
			const lastUse = lastUses(blocks);
			let next: Promise<ort.InferenceSession> | null = policy === 'interleaved' ? create(0) : null;
			for (let i = 0; i < blocks.length; i++) {
				const session = await (next ?? create(i));
				next = policy === 'interleaved' && i + 1 < blocks.length ? create(i + 1) : null;
				try {
					outputs = await run(session);
				} finally {
					await session.release();
				}
				for (const [name, last] of lastUse) if (last === i && !blocks[blocks.length - 1].outputs.includes(name)) dispose(env, name);
			}
		}
	} finally {
		for (const name of [...env.keys()]) dispose(env, name);
	}
	return { totalMs: performance.now() - t0, createMs, outputs };
}

/** The index of the last block that reads each value. */
function lastUses(blocks: readonly StoredBlock[]): Map<string, number> {
	const last = new Map<string, number>();
	blocks.forEach((b, i) => b.inputs.forEach((name) => last.set(name, i)));
	return last;
}

function dispose(env: Map<string, ort.Tensor>, name: string) {
	env.get(name)?.dispose();
	env.delete(name);
}
