/**
 * The openWakeWord pipeline's glue, as openWakeWord does it: mel frames scaled x/10 + 2, windows of
 * 76 frames every 8 frames into the embedding model, the last 16 embeddings into the head. With an
 * injected stage runner (any engine) it derives each stage's input from the previous stage's output.
 */
import { synthClip } from './audio-clip.ts';
import type { Feeds, InputTensor } from './inputs.ts';
import { findEntry, type ZooEntry, type ZooManifest } from './manifest.ts';

export const MEL_BANDS = 32;
export const WINDOW_FRAMES = 76;
export const WINDOW_STRIDE_FRAMES = 8;
export const HEAD_EMBEDDINGS = 16;
export const EMBEDDING_SIZE = 96;

/**
 * Clip length giving exactly HEAD_EMBEDDINGS windows: the melspectrogram makes ⌊samples/160⌋ − 3
 * frames and 16 windows need 76 + 15·8 = 196 of them, so (196 + 3)·160 = 31 840 samples (≈ 2 s).
 */
export const WAKEWORD_CLIP_SAMPLES = (WINDOW_FRAMES + (HEAD_EMBEDDINGS - 1) * WINDOW_STRIDE_FRAMES + 3) * 160;

/** Runs one zoo model on feeds and returns its outputs by name (an engine, injected). */
export type StageRunner = (entry: ZooEntry, feeds: Feeds) => Promise<Feeds>;

/**
 * Melspectrogram output [1, 1, frames, 32] → embedding input [windows, 76, 32, 1]: scaled x/10 + 2,
 * window w covering frames 8w … 8w + 75. `windows` defaults to all that fit.
 */
export function melToEmbeddingWindows(mel: InputTensor, windows?: number): InputTensor {
	const frames = mel.dims[mel.dims.length - 2];
	const fit = Math.floor((frames - WINDOW_FRAMES) / WINDOW_STRIDE_FRAMES) + 1;
	const n = windows ?? fit;
	if (n < 1 || n > fit) throw new Error(`${frames} mel frames give ${Math.max(0, fit)} windows, not ${n}`);
	const src = mel.data as Float32Array;
	const out = new Float32Array(n * WINDOW_FRAMES * MEL_BANDS);
	for (let w = 0; w < n; w++) {
		const from = w * WINDOW_STRIDE_FRAMES * MEL_BANDS;
		for (let i = 0; i < WINDOW_FRAMES * MEL_BANDS; i++) out[w * WINDOW_FRAMES * MEL_BANDS + i] = src[from + i] / 10 + 2;
	}
	return { dtype: 'float32', dims: [n, WINDOW_FRAMES, MEL_BANDS, 1], data: out };
}

/** Embedding output [n, 1, 1, 96] → head input [1, 16, 96]: the last 16 embeddings, oldest first. */
export function embeddingsToHeadInput(embeddings: InputTensor): InputTensor {
	const n = embeddings.dims[0];
	if (n < HEAD_EMBEDDINGS) throw new Error(`The head needs ${HEAD_EMBEDDINGS} embeddings, got ${n}`);
	const data = (embeddings.data as Float32Array).slice((n - HEAD_EMBEDDINGS) * EMBEDDING_SIZE);
	return { dtype: 'float32', dims: [1, HEAD_EMBEDDINGS, EMBEDDING_SIZE], data };
}

/**
 * Each stage's input when the whole pipeline runs on `synthClip(WAKEWORD_CLIP_SAMPLES)`, keyed by
 * entry id: the clip for the melspectrogram, its 16 scaled windows for the embedding model (batch
 * dim 16), and the 16 resulting embeddings for the head. `run` executes the stages (usually the
 * original files, so the inputs are what the real pipeline would see).
 */
export async function wakewordPipelineInputs(
	manifest: ZooManifest,
	run: StageRunner
): Promise<Record<string, Feeds>> {
	const pipeline = manifest.pipelines.find((p) => p.id === 'openwakeword');
	if (!pipeline) throw new Error("The manifest has no 'openwakeword' pipeline");
	const [melEntry, embeddingEntry, headEntry] = pipeline.stages.map((id) => findEntry(manifest, id));
	const melFeeds: Feeds = {
		[melEntry.inputs[0].name]: { dtype: 'float32', dims: [1, WAKEWORD_CLIP_SAMPLES], data: synthClip(WAKEWORD_CLIP_SAMPLES) }
	};
	const mel = (await run(melEntry, melFeeds))[melEntry.outputs[0].name];
	const embeddingFeeds: Feeds = { [embeddingEntry.inputs[0].name]: melToEmbeddingWindows(mel) };
	const embeddings = (await run(embeddingEntry, embeddingFeeds))[embeddingEntry.outputs[0].name];
	const headFeeds: Feeds = { [headEntry.inputs[0].name]: embeddingsToHeadInput(embeddings) };
	return { [melEntry.id]: melFeeds, [embeddingEntry.id]: embeddingFeeds, [headEntry.id]: headFeeds };
}
