/**
 * The model cell's state: the zoo, the loaded model (bytes kept off the reactive graph), its dims and
 * summary. A failed load or re-analysis leaves the previous model and summary exactly as they were
 * and raises a notice instead.
 */
import { STILL_WORKS } from '../core/formats/errors';
import { fetchManifest, type ZooEntry, type ZooManifest } from '../core/zoo/manifest';
import type { AnalysisResult, AnalysisStage } from '../workers/protocol';
import { RpcError } from '../workers/rpc';
import { manifestUrl, zooModelUrl } from './paths';
import { createAnalysisClient } from './workers';

export type ModelSource = { kind: 'zoo'; entry: ZooEntry } | { kind: 'file'; fileName: string };

export interface LoadedModel {
	/** Changes whenever the model or its dims change: results computed for another key are stale. */
	key: string;
	source: ModelSource;
	name: string;
	bytes: Uint8Array;
	dims: Record<string, number>;
	analysis: AnalysisResult;
}

/** A problem shown to the person, with what is wrong and what still works. */
export interface Notice {
	code: string;
	title: string;
	message: string;
	/** What still works: the model still loaded, or the zoo. */
	stillLoaded?: string;
}

/**
 * The page holds a file's bytes twice while it is analysed (page + worker copy), so it refuses files
 * past 1 GiB before reading them; ONNX itself stops at 2 GiB.
 */
export const MAX_UPLOAD_BYTES = 2 ** 30;

let keySeq = 0;

export class ModelState {
	manifest = $state.raw<ZooManifest | null>(null);
	manifestError = $state<string | null>(null);
	current = $state.raw<LoadedModel | null>(null);
	/** What is being opened or re-analysed now, and how far it got. */
	busy = $state.raw<{ label: string; stage: AnalysisStage | 'downloading' } | null>(null);
	notice = $state.raw<Notice | null>(null);

	private client = createAnalysisClient();

	get zoo(): ZooEntry[] {
		return this.manifest?.models ?? [];
	}

	async loadManifest(): Promise<void> {
		try {
			this.manifest = await fetchManifest(manifestUrl());
			this.manifestError = null;
		} catch (err) {
			this.manifestError = `The model zoo could not be loaded (${err instanceof Error ? err.message : String(err)}). You can still open your own .onnx file.`;
		}
	}

	async pickZoo(id: string): Promise<void> {
		const entry = this.zoo.find((m) => m.id === id);
		if (!entry) return;
		const label = entry.name;
		this.busy = { label, stage: 'downloading' };
		let bytes: Uint8Array;
		try {
			const res = await fetch(zooModelUrl(id));
			if (!res.ok) throw new Error(`HTTP ${res.status}`);
			bytes = new Uint8Array(await res.arrayBuffer());
		} catch (err) {
			this.fail(new RpcError('internal', `Downloading ${entry.name} failed: ${err instanceof Error ? err.message : err}.`), label);
			return;
		}
		await this.open({ kind: 'zoo', entry }, entry.name, bytes, { ...entry.defaultDims }, `${id}.onnx`);
	}

	async openFile(file: File): Promise<void> {
		if (file.size > MAX_UPLOAD_BYTES) {
			const gib = (file.size / 2 ** 30).toFixed(2);
			this.fail(
				new RpcError(
					'too-large',
					`'${file.name}' is ${gib} GiB; this page opens models up to ${MAX_UPLOAD_BYTES / 2 ** 30} GiB (and a single ONNX file cannot exceed 2 GiB). The file was not read. Quantize or split the model, or analyse it with the CLI.`
				),
				file.name
			);
			return;
		}
		this.busy = { label: file.name, stage: 'reading' };
		let bytes: Uint8Array;
		try {
			bytes = new Uint8Array(await file.arrayBuffer());
		} catch (err) {
			this.fail(new RpcError('internal', `The browser could not read '${file.name}': ${err instanceof Error ? err.message : err}.`), file.name);
			return;
		}
		await this.open({ kind: 'file', fileName: file.name }, file.name, bytes, {}, file.name);
	}

	/** Re-analyses the current model with one dim changed; a bad value is refused with a notice. */
	async setDim(name: string, value: number): Promise<void> {
		const model = this.current;
		if (!model) return;
		if (!Number.isInteger(value) || value < 1 || value > 1_000_000) {
			this.notice = {
				code: 'bad-dim',
				title: `'${name}' must be a whole number from 1 to 1,000,000`,
				message: `The summary still shows ${name} = ${model.dims[name]}.`
			};
			return;
		}
		await this.open(model.source, model.name, model.bytes, { ...model.dims, [name]: value }, this.fileName(model));
	}

	dismissNotice(): void {
		this.notice = null;
	}

	private fileName(model: LoadedModel): string {
		return model.source.kind === 'zoo' ? `${model.source.entry.id}.onnx` : model.source.fileName;
	}

	private async open(source: ModelSource, name: string, bytes: Uint8Array, dims: Record<string, number>, fileName: string) {
		this.busy = { label: name, stage: 'reading' };
		try {
			// A copy goes to the worker; the page keeps the original to run the model later.
			const analysis = await this.client.request(
				{ type: 'analyze', bytes: bytes.slice(), fileName, dims, zoo: source.kind === 'zoo' ? source.entry : undefined },
				{ onProgress: (p) => (this.busy = { label: name, stage: p.stage }) }
			);
			const resolved: Record<string, number> = {};
			for (const [d, choice] of Object.entries(analysis.summary.dims)) if (choice.value !== null) resolved[d] = choice.value;
			this.current = { key: `${++keySeq}`, source, name, bytes, dims: resolved, analysis };
			this.notice = null;
			this.busy = null;
		} catch (err) {
			if (err instanceof RpcError && err.code === 'superseded') return;
			this.fail(err, fileName);
		}
	}

	private fail(err: unknown, fileName: string) {
		this.busy = null;
		const code = err instanceof RpcError ? err.code : 'internal';
		// The core appends a generic "nothing was changed" sentence; the page says specifically what is still loaded.
		const message = (err instanceof Error ? err.message : String(err)).replace(STILL_WORKS, '').trim();
		const titles: Record<string, string> = {
			empty: `'${fileName}' is empty`,
			truncated: `'${fileName}' is cut short`,
			'not-onnx': `'${fileName}' is not an ONNX model`,
			'too-large': `'${fileName}' is too large`,
			invalid: `'${fileName}' is not a valid ONNX model`,
			unsupported: `'${fileName}' uses something Tightfit cannot read`
		};
		const current = this.current;
		this.notice = {
			code,
			title: titles[code] ?? `Could not open '${fileName}'`,
			message,
			stillLoaded: current
				? `Nothing was changed: ${current.name} is still loaded, with its summary and settings, and the other zoo models still work.`
				: 'Nothing was loaded; the built-in zoo models still work.'
		};
	}
}
