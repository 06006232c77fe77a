/**
 * What the tiling worker does for one request, as a plain function: the worker serves it, the RPC client
 * calls it in-thread where there are no workers, and the unit tests call it in Node.
 * - `evaluate`: cut the fused stack of L layers from layer a (the nearest layer at or before a that a stack can
 *   start at), partition it N×M, cost and schedule the tiles over the devices' profiles (modelled), and
 *   optionally sweep every depth from a and square grid for the trade-off chart.
 * - `measure`: export the untiled stack or the stitched tile model as ONNX and run it in onnxruntime-web
 *   (tiling-measure.ts, loaded lazily); the page runs each variant in a fresh worker so the heap is its own.
 */
import { openModel } from '../core/formats/registry';
import type { Model } from '../core/ir/types';
import { evaluateTiling, fusedStack, sweepTiling, yolov2TinyReference, type FusedStack } from '../core/tiling';
import type { TilingConfig, TilingNetwork, TilingProgress, TilingRequest, TilingResult } from './protocol';

interface Network {
	key: string;
	model: Model;
	name: string;
	/** The deepest fusable stack; shorter stacks reuse its inferred values. */
	deepest: FusedStack;
}

/** The last network built or opened: the reference net takes about a second to build, so it is kept. */
let cached: Network | null = null;

const networkKey = (n: TilingNetwork) => (n.kind === 'reference' ? `reference@${n.inputSize}` : n.key);

export async function networkOf(n: TilingNetwork, progress: (p: TilingProgress) => void): Promise<Network> {
	const key = networkKey(n);
	if (cached?.key === key) return cached;
	progress({ stage: 'building', detail: n.kind === 'reference' ? 'reference network, seeded weights' : n.fileName });
	let model: Model;
	let deepest: FusedStack;
	if (n.kind === 'reference') {
		model = yolov2TinyReference({ inputSize: n.inputSize });
		deepest = fusedStack(model);
	} else {
		const bytes = n.bytes instanceof Uint8Array ? n.bytes : new Uint8Array(n.bytes);
		model = openModel(bytes, n.fileName);
		deepest = fusedStack(model, { dims: n.dims });
	}
	if (deepest.layers < 1) throw new Error(`'${model.graph.name}' has no fusable convolution or pooling layer at its input`);
	cached = { key, model, name: n.kind === 'reference' ? `YOLOv2-tiny-class reference, ${n.inputSize}×${n.inputSize}` : model.graph.name || n.fileName, deepest };
	return cached;
}

/** Where the stack starts: `config.from`, or the nearest layer before it that a stack can start at. */
export function startOf(net: Network, config: TilingConfig): number {
	const from = Math.max(0, Math.round(config.from ?? 0));
	return Math.max(...net.deepest.starts.filter((s) => s <= from));
}

/** The fused stack of `config.layers` layers from `startOf` (clamped to what the network can fuse). */
export function stackOf(net: Network, config: TilingConfig): FusedStack {
	const from = startOf(net, config);
	const layers = Math.max(1, Math.min(config.layers, net.deepest.layers - from));
	const dims = config.network.kind === 'model' ? config.network.dims : undefined;
	return fusedStack(net.model, { from, layers, dims, values: net.deepest.values });
}

/** The grid clamped to the stack's output map (a tile is at least one output pixel). */
export function gridOf(stack: FusedStack, config: TilingConfig): { rows: number; cols: number } {
	const [, , h, w] = stack.shapes[stack.output];
	return { rows: Math.min(config.grid.rows, h), cols: Math.min(config.grid.cols, w) };
}

export async function handleTiling(req: TilingRequest, progress: (p: TilingProgress) => void): Promise<TilingResult> {
	const net = await networkOf(req.config.network, progress);
	const stack = stackOf(net, req.config);
	if (req.type === 'measure') {
		const { measureTiled } = await import('./tiling-measure');
		return { type: 'measure', run: await measureTiled(stack, gridOf(stack, req.config), req, progress) };
	}
	const t0 = performance.now();
	const c = req.config;
	const schedule = { devices: c.devices, profile: c.profile, profiles: c.profiles, linkBytesPerSecond: c.linkBytesPerSecond, gateway: c.gateway };
	progress({ stage: 'evaluating', detail: `layers ${stack.first}..${stack.first + stack.layers - 1}, ${c.grid.rows}×${c.grid.cols}` });
	const report = evaluateTiling(stack, gridOf(stack, c), schedule);
	let sweep = null;
	if (req.sweep) {
		progress({ stage: 'sweeping' });
		const dims = c.network.kind === 'model' ? c.network.dims : undefined;
		sweep = sweepTiling(net.model, { ...schedule, ceilingBytes: c.ceilingBytes ?? undefined, stack: { dims, from: stack.first } });
	}
	const stop = net.deepest.stoppedAt;
	return {
		type: 'evaluate',
		report,
		maxLayers: net.deepest.layers,
		starts: net.deepest.starts,
		stoppedAt: stop ? `${stop.opType} '${stop.node}': ${stop.reason}` : undefined,
		sweep,
		networkName: net.name,
		evaluateMs: performance.now() - t0
	};
}
