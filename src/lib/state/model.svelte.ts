/**
 * The model cell's state: the zoo, the loaded model (bytes kept off the reactive graph), its dims and
 * summary. A failed load or re-analysis leaves the previous model and summary exactly as they were
 * and raises a notice instead.
 */
import { STILL_WORKS } from '../core/formats/errors';
import { PAGE_MODEL_LIMIT_BYTES, checkPageModelSize } from '../core/formats/limits';
import { jsonEqual } from '../core/scenario/equal';
import type { ModelRef } from '../core/scenario/schema';
import { fetchManifest, zooEntries, type ZooEntry, type ZooManifest } from '../core/zoo/manifest';
import type { NamedFile } from '../core/formats/tfjs/model-json';
import type { AnalysisResult, AnalysisStage } from '../workers/protocol';
import { RpcError } from '../workers/rpc';
import { manifestUrl } from './paths';
import { zooModelBytes, zooTfjsFiles } from './zoo-bytes';
import { sha256Hex, type ModelStore } from './persistence';
import { ReadAbortedError, readFileChunked } from './read-file';
import type { ScenarioState } from './scenario.svelte';
import { createAnalysisClient } from './workers';
import { workerLossMessage } from './worker-notices.svelte';

export type ModelSource = { kind: 'zoo'; entry: ZooEntry } | { kind: 'file'; fileName: string };

export interface LoadedModel {
	/** Changes whenever the model or its dims change: results computed for another key are stale. */
	key: string;
	source: ModelSource;
	name: string;
	bytes: Uint8Array;
	dims: Record<string, number>;
	analysis: AnalysisResult;
	/** How the scenario names this model, and the dims the scenario sets (the rest are the model's defaults). */
	ref: ModelRef;
	requested: Record<string, number>;
	/** A multi-file model (TF.js model.json + shards) as dropped; `bytes` is then its ONNX export. */
	files?: NamedFile[];
}

/** An uploaded model a scenario names but this browser does not have: the page asks for the file. */
export type MissingUpload = Extract<ModelRef, { kind: 'upload' }>;

/** A problem shown to the person, with what is wrong and what still works. */
export interface Notice {
	code: string;
	title: string;
	message: string;
	/** What still works: the model still loaded, or the zoo. */
	stillLoaded?: string;
}

/**
 * The page holds a file's bytes twice while it is analysed (page + worker copy), and onnxruntime-web
 * copies them again into its 4 GB heap, so it refuses files past 512 MiB before reading them (see
 * core/formats/limits.ts); ONNX itself stops at 2 GiB.
 */
export const MAX_UPLOAD_BYTES = PAGE_MODEL_LIMIT_BYTES;

/** What is being opened now: reading shows bytes read of the file's size; the rest are the worker's stages. */
export interface BusyState {
	label: string;
	stage: AnalysisStage | 'downloading';
	bytesRead?: number;
	totalBytes?: number;
}

/** Largest value the page accepts for a symbolic dim. */
export const MAX_DIM = 1_000_000;

let keySeq = 0;

export class ModelState {
	manifest = $state.raw<ZooManifest | null>(null);
	manifestError = $state<string | null>(null);
	current = $state.raw<LoadedModel | null>(null);
	/** What is being opened or re-analysed now, and how far it got. */
	busy = $state.raw<BusyState | null>(null);
	/** Set when the analysis worker died on its own and was restarted: a non-blocking notice. */
	workerNotice = $state<string | null>(null);
	notice = $state.raw<Notice | null>(null);
	/** Set when the scenario names an upload that is not stored here. */
	missingUpload = $state.raw<MissingUpload | null>(null);

	private client = createAnalysisClient((_reason, loss) => {
		this.workerNotice = workerLossMessage(loss);
	});
	/** Stops the read of a dropped file (Cancel). */
	private readAbort: AbortController | null = null;
	/** Bumped by every load; a download that finishes after a newer load started is dropped. */
	private loadSeq = 0;

	/**
	 * `scenario`: the page's scenario, which the loaded model follows (`follow`) and which successful loads
	 * write to. `uploads`: where dropped files are kept by sha256.
	 */
	constructor(
		readonly scenario?: ScenarioState,
		private readonly uploads?: ModelStore
	) {}

	/** Every zoo entry, ONNX and TF.js. */
	get zoo(): ZooEntry[] {
		return this.manifest ? zooEntries(this.manifest) : [];
	}

	async loadManifest(): Promise<void> {
		try {
			this.manifest = await fetchManifest(manifestUrl());
			this.manifestError = null;
		} catch (err) {
			this.manifestError = `The model zoo could not be loaded (${err instanceof Error ? err.message : String(err)}). You can still open your own .onnx file.`;
		}
	}

	async pickZoo(id: string, requested: Record<string, number> = {}): Promise<void> {
		const entry = this.zoo.find((m) => m.id === id);
		if (!entry) return;
		const label = entry.name;
		const seq = ++this.loadSeq;
		this.busy = { label, stage: 'downloading' };
		let bytes: Uint8Array;
		// A TF.js entry opens as a dropped model.json + shards would (the registry's openFiles in the worker).
		let files: NamedFile[] | undefined;
		try {
			if (entry.format === 'tfjs') {
				files = await zooTfjsFiles(entry);
				bytes = files[0].bytes;
			} else {
				bytes = await zooModelBytes(id);
			}
		} catch (err) {
			if (seq !== this.loadSeq) return;
			this.fail(new RpcError('internal', `Downloading ${entry.name} failed: ${err instanceof Error ? err.message : err}.`), label);
			return;
		}
		if (seq !== this.loadSeq) return;
		const ref: ModelRef = { kind: 'zoo', id };
		const fileName = files ? files[0].name : `${id}.onnx`;
		await this.open({ kind: 'zoo', entry }, entry.name, bytes, { ...entry.defaultDims, ...requested }, fileName, ref, requested, files);
	}

	/**
	 * Loads what the scenario names (model and dims) unless it is loaded already: after a link, a restore, or
	 * back/forward. An upload this browser does not have sets `missingUpload` so the page can ask for it.
	 */
	async follow(): Promise<void> {
		const s = this.scenario?.snapshot();
		if (!s || !this.manifest) return;
		// Links may carry any dim up to 2^31 - 1; the page analyses (and allocates inputs for) at most 1,000,000.
		const tooBig = Object.keys(s.dims).filter((d) => s.dims[d] > MAX_DIM);
		if (tooBig.length) {
			for (const d of tooBig) delete s.dims[d];
			this.scenario?.addNotices(`The link's value for ${tooBig.map((d) => `"dims.${d}"`).join(', ')} is above ${MAX_DIM.toLocaleString('en')}; using the model's default instead.`);
		}
		const loaded = this.current;
		if (loaded && jsonEqual(loaded.ref, s.model) && jsonEqual(loaded.requested, s.dims)) {
			this.missingUpload = null;
			return;
		}
		if (s.model.kind === 'zoo') {
			this.missingUpload = null;
			const id = s.model.id;
			if (this.zoo.some((m) => m.id === id)) return this.pickZoo(id, s.dims);
			this.notice = {
				code: 'unknown-zoo-model',
				title: 'This link names a model that is not in the zoo',
				message: `There is no built-in model with the id "${id}" (it may have been renamed or removed).`,
				stillLoaded: loaded ? `${loaded.name} is still loaded.` : 'Pick one of the built-in models below.'
			};
			return;
		}
		const ref = s.model;
		const seq = ++this.loadSeq;
		const stored = await this.uploads?.get(ref.sha256).catch(() => undefined);
		if (seq !== this.loadSeq) return;
		if (!stored) {
			this.missingUpload = { ...ref };
			return;
		}
		this.missingUpload = null;
		await this.open({ kind: 'file', fileName: ref.name }, ref.name, stored.bytes, { ...s.dims }, ref.name, ref, s.dims);
	}

	/**
	 * Opens a dropped file and keeps it (by sha256) so a reload or a link can find it again. With `expected`
	 * (the upload a link names), a file whose sha256 differs is refused with a notice.
	 */
	async openFile(file: File, expected?: MissingUpload): Promise<void> {
		try {
			checkPageModelSize(file.size, file.name);
		} catch (err) {
			this.fail(new RpcError('too-large', (err as Error).message), file.name);
			return;
		}
		const seq = ++this.loadSeq;
		this.readAbort?.abort();
		const abort = (this.readAbort = new AbortController());
		this.busy = { label: file.name, stage: 'reading', bytesRead: 0, totalBytes: file.size };
		let bytes: Uint8Array;
		try {
			bytes = await readFileChunked(file, {
				signal: abort.signal,
				// A chunk already on its way when Cancel was pressed must not bring the progress back.
				onProgress: (p) => void (abort.signal.aborted || (this.busy = { label: file.name, stage: 'reading', ...p }))
			});
		} catch (err) {
			if (err instanceof ReadAbortedError || seq !== this.loadSeq) return;
			this.fail(new RpcError('internal', `The browser could not read '${file.name}': ${err instanceof Error ? err.message : err}.`), file.name);
			return;
		} finally {
			if (this.readAbort === abort) this.readAbort = null;
		}
		const sha256 = await sha256Hex(bytes);
		if (seq !== this.loadSeq) return;
		if (expected && sha256 !== expected.sha256) {
			this.busy = null;
			this.notice = {
				code: 'wrong-file',
				title: `'${file.name}' is not the model this link uses`,
				message: `Its sha256 is ${sha256}, but the link expects ${expected.sha256} (${expected.name}). Drop the exact file the link was made with.`,
				stillLoaded: this.current ? `${this.current.name} is still loaded.` : undefined
			};
			return;
		}
		const name = expected?.name ?? file.name;
		const ref: ModelRef = { kind: 'upload', name, sha256 };
		await this.open({ kind: 'file', fileName: name }, name, bytes, {}, name, ref, {});
		// Only a file that opened is kept, so a reload or a link naming it finds it again.
		if (this.current?.bytes === bytes) await this.uploads?.put(bytes, name).catch(() => undefined);
	}

	/**
	 * Opens several dropped files as one model (a TF.js model.json with its .bin shards); one file goes
	 * through `openFile`. The model's ONNX export is what is kept for links, as `<name>.onnx`.
	 */
	async openFiles(files: File[]): Promise<void> {
		if (files.length === 1) return this.openFile(files[0]);
		const label = files.find((f) => /\.json$/i.test(f.name))?.name ?? files[0]?.name ?? 'files';
		await this.openNamedFiles(label, () => Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))));
	}

	/** Opens a multi-file model from named bytes (a drop, or the TF.js model the runtimes cell fetches). */
	async openNamedFiles(label: string, read: () => Promise<NamedFile[]>): Promise<void> {
		this.busy = { label, stage: 'reading' };
		let files: NamedFile[];
		try {
			files = await read();
		} catch (err) {
			this.fail(new RpcError('internal', `The browser could not read the files: ${err instanceof Error ? err.message : err}.`), label);
			return;
		}
		if (files.reduce((s, f) => s + f.bytes.byteLength, 0) > MAX_UPLOAD_BYTES) {
			this.fail(new RpcError('too-large', `The files add up to more than ${MAX_UPLOAD_BYTES / 2 ** 30} GiB; they were not opened.`), label);
			return;
		}
		const ref: ModelRef = { kind: 'upload', name: `${label}.onnx`, sha256: '0'.repeat(64) };
		await this.open({ kind: 'file', fileName: label }, label, files[0].bytes, {}, label, ref, {}, files);
		const loaded = this.current;
		if (loaded?.files !== files) return;
		// Links name the ONNX export: that is what a reload can reopen from this browser's store.
		const sha256 = await sha256Hex(loaded.bytes);
		this.current = { ...loaded, ref: { kind: 'upload', name: `${label}.onnx`, sha256 } };
		this.scenario?.setModel(this.current.ref, {});
		await this.uploads?.put(loaded.bytes, `${label}.onnx`).catch(() => undefined);
	}

	/** Re-analyses the current model with one dim changed; a bad value is refused with a notice. */
	async setDim(name: string, value: number): Promise<void> {
		const model = this.current;
		if (!model) return;
		if (!Number.isInteger(value) || value < 1 || value > MAX_DIM) {
			this.notice = {
				code: 'bad-dim',
				title: `'${name}' must be a whole number from 1 to 1,000,000`,
				message: `The summary still shows ${name} = ${model.dims[name]}.`
			};
			return;
		}
		const requested = { ...model.requested, [name]: value };
		await this.open(model.source, model.name, model.bytes, { ...model.dims, [name]: value }, this.fileName(model), model.ref, requested, model.files);
	}

	dismissNotice(): void {
		this.notice = null;
	}

	dismissWorkerNotice(): void {
		this.workerNotice = null;
	}

	/**
	 * Stops opening a model: a read in progress is aborted, a parse in the worker is stopped by
	 * terminating it (the next request starts a fresh one). The loaded model, if any, stays.
	 */
	cancelOpen(): void {
		if (!this.busy) return;
		++this.loadSeq;
		this.readAbort?.abort();
		this.readAbort = null;
		this.client.cancel();
		this.busy = null;
	}

	private fileName(model: LoadedModel): string {
		if (model.source.kind === 'file') return model.source.fileName;
		return model.files ? model.files[0].name : `${model.source.entry.id}.onnx`;
	}

	private async open(
		source: ModelSource,
		name: string,
		bytes: Uint8Array,
		dims: Record<string, number>,
		fileName: string,
		ref: ModelRef,
		requested: Record<string, number>,
		files?: NamedFile[]
	) {
		this.busy = { label: name, stage: 'reading' };
		try {
			// A copy goes to the worker; the page keeps the original to run the model later.
			const analysis = await this.client.request(
				{ type: 'analyze', bytes: bytes.slice(), fileName, dims, zoo: source.kind === 'zoo' ? source.entry : undefined, files },
				{ onProgress: (p) => (this.busy = { label: name, stage: p.stage }) }
			);
			const resolved: Record<string, number> = {};
			for (const [d, choice] of Object.entries(analysis.summary.dims)) if (choice.value !== null) resolved[d] = choice.value;
			this.current = { key: `${++keySeq}`, source, name, bytes: analysis.onnxBytes ?? bytes, dims: resolved, analysis, ref, requested, ...(files ? { files } : {}) };
			this.notice = null;
			this.busy = null;
			this.missingUpload = null;
			this.scenario?.setModel(ref, requested);
		} catch (err) {
			if (err instanceof RpcError && (err.code === 'superseded' || err.code === 'cancelled')) return;
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
