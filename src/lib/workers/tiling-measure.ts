/**
 * The tiling worker's onnxruntime-web side: export one variant — the untiled fused stack, or the N×M tiles
 * (a Slice crop with the halo, the fused layers with per-tile padding) stitched with Concat in one model —
 * and run it on a seeded input. Each variant runs in a fresh worker, so the WASM heap's high-water mark is
 * that variant's own; the page compares the two outputs.
 */
import { exportOnnx } from '../core/formats/onnx/export';
import { partitionStack, stackModel, stitchedModel, type FusedStack, type Grid } from '../core/tiling';
import { syntheticFeeds, type InputSpec } from '../engines/feeds';
import { latencyStats } from '../engines/stats';
import { heapFigure, trackWasmMemories } from '../engines/wasm-heap';
import type { TiledRun, TilingProgress, TilingRequest } from './protocol';
import { engineFor } from './transform-measure';

type MeasureRequest = Extract<TilingRequest, { type: 'measure' }>;

/** Seed of the input both variants get (the same seed, so the same values, in both workers). */
export const TILING_INPUT_SEED = 7;

export async function measureTiled(stack: FusedStack, grid: Grid, req: MeasureRequest, progress: (p: TilingProgress) => void): Promise<TiledRun> {
	// Before the runtime creates its heap, so that the heap is seen.
	trackWasmMemories();
	progress({ stage: 'exporting', detail: req.variant === 'tiled' ? `${grid.rows}×${grid.cols} tiles, stitched` : 'untiled stack' });
	const model = req.variant === 'tiled' ? stitchedModel(stack, partitionStack(stack, grid)) : stackModel(stack);
	const bytes = exportOnnx(model);
	const feeds = syntheticFeeds(model.graph.inputs as InputSpec[], {}, TILING_INPUT_SEED);
	const { engine } = await engineFor(req.wasmPaths);
	const session = await engine.load(bytes);
	try {
		const r = await session.run(feeds, {
			warmup: req.warmup,
			runs: req.runs,
			keepOutputs: true,
			onRun: (phase, k, n) => progress({ stage: 'measuring', detail: `${req.variant}: ${phase} ${k}/${n}` })
		});
		const output = r.values?.[stack.output];
		if (!output) throw new Error(`the ${req.variant} model produced no '${stack.output}'`);
		const heap = heapFigure();
		const b = session.backend;
		return {
			variant: req.variant,
			latency: latencyStats(r.latenciesMs, req.warmup),
			heapBytes: heap.bytes,
			heapBasis: heap.basis,
			output,
			outputShape: stack.shapes[stack.output],
			modelBytes: bytes.byteLength,
			backend: b,
			basis: `measured in this browser: ${req.warmup} untimed + ${req.runs} timed runs, median; ${b.runtime} ${b.runtimeVersion} ${b.ep}, ${b.threads} thread${b.threads === 1 ? '' : 's'}; input: seeded pseudo-random values (seed ${TILING_INPUT_SEED})`
		};
	} finally {
		await session.release();
	}
}
