/**
 * Tile sub-models as IR (and so as ONNX through `exportOnnx`): a crop of the input, the fused stack
 * with per-tile padding, and stitching. Exactness comes from padding: a tile's window ops get
 * explicit `pads` equal to the part of their read block that lies outside the full map, and no
 * padding where a neighbour's data is there instead, so every output position is computed from
 * exactly the values the untiled model uses.
 */
import type { AttrValue, Graph, Initializer, Model, Node } from '../ir/types';
import { defaultOpset } from '../shapes/infer';
import type { Partition, Tile } from './partition';
import { intervalLength, type Region } from './receptive-field';
import type { FusedStack } from './stack';

export interface WholeModelOptions {
	/**
	 * true (default): the model takes the image input and runs the untiled prefix (the layers before the
	 * stack's first) first, so its output is the original model's value at the stack's last layer.
	 * false: it takes the stack input (the feature map at the first fused layer). Same when the stack starts at 0.
	 */
	prefix?: boolean;
}

export interface TileModelOptions {
	/**
	 * 'slice' (default): the model takes the whole stack input and crops it with Slice, so one feed
	 * serves every tile. 'input': the model takes only the tile's input crop, as a device receiving it
	 * would (its memory figures are the device's).
	 */
	crop?: 'slice' | 'input';
}

/** Collects the nodes and initializers of a graph being built. */
class Builder {
	readonly nodes: Node[] = [];
	readonly initializers: Record<string, Initializer> = {};
	constructor(readonly stack: FusedStack, readonly opset: number) {}

	int64(name: string, values: number[]): string {
		const data = new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer);
		this.initializers[name] = { name, dtype: 'int64', dims: [values.length], data, origin: 'initializer' };
		return name;
	}

	/** Crops H and W of `input` to [starts, ends) and names the result `output`. */
	slice(name: string, input: string, output: string, starts: number[], ends: number[]): void {
		if (this.opset < 10) {
			const ints = (value: number[]): AttrValue => ({ type: 'ints', value });
			this.nodes.push({ name, opType: 'Slice', domain: '', inputs: [input], outputs: [output], attrs: { starts: ints(starts), ends: ints(ends), axes: ints([2, 3]) } });
			return;
		}
		const inputs = [input, this.int64(`${name}/starts`, starts), this.int64(`${name}/ends`, ends), this.int64(`${name}/axes`, [2, 3])];
		this.nodes.push({ name, opType: 'Slice', domain: '', inputs, outputs: [output], attrs: {} });
	}

	/** Crops `value`, held as block `held`, to block `want`; returns the name of the crop (or the value itself). */
	crop(prefix: string, value: string, held: Region, want: Region): string {
		if (sameRegion(held, want)) return value;
		const out = `${value}/crop${this.nodes.length}`;
		this.slice(`${prefix}crop${this.nodes.length}`, value, out,
			[want.rows.start - held.rows.start, want.cols.start - held.cols.start],
			[want.rows.end - held.rows.start, want.cols.end - held.cols.start]);
		return out;
	}

	/** Emits the untiled prefix (image input → stack input), if any. */
	prefix(): void {
		for (const { node } of this.stack.prefix) {
			this.nodes.push(node);
			this.weights(node);
		}
	}

	weights(node: Node): void {
		for (const name of node.inputs) {
			const init = this.stack.model.graph.initializers[name];
			if (init) this.initializers[name] = init;
		}
	}

	/** Emits one tile's stack: `source` holds the tile's input crop. Returns the tile output's name. */
	tile(tile: Tile, prefix: string, source: string): string {
		const local = new Map<string, string>([[this.stack.input, source]]);
		this.stack.nodes.forEach(({ node, layer }, i) => {
			const read = tile.reads[i];
			const inputs = node.inputs.map((name) => {
				const held = local.get(name);
				return held === undefined ? name : this.crop(prefix, held, tile.regions[name], read.region);
			});
			const attrs = { ...node.attrs };
			if (layer.kind !== 'elementwise') {
				attrs.pads = { type: 'ints', value: [...read.pads] };
				delete attrs.auto_pad;
				if (layer.kind !== 'conv') attrs.ceil_mode = { type: 'int', value: 0 };
			}
			const outputs = node.outputs.map((o) => (o ? `${prefix}${o}` : o));
			local.set(node.outputs[0], outputs[0]);
			this.nodes.push({ ...node, name: `${prefix}${node.name || node.opType + i}`, inputs, outputs, attrs });
			this.weights(node);
		});
		return local.get(this.stack.output)!;
	}
}

function sameRegion(a: Region, b: Region): boolean {
	return a.rows.start === b.rows.start && a.rows.end === b.rows.end && a.cols.start === b.cols.start && a.cols.end === b.cols.end;
}

function nchw(stack: FusedStack, value: string, region?: Region): number[] {
	const [n, c, h, w] = stack.shapes[value];
	return region ? [n, c, intervalLength(region.rows), intervalLength(region.cols)] : [n, c, h, w];
}

function wrap(stack: FusedStack, b: Builder, name: string, input: string, inputShape: number[], output: string, outputShape: number[], doc: string): Model {
	const graph: Graph = {
		name,
		nodes: b.nodes,
		inputs: [{ name: input, dtype: stack.dtype, shape: inputShape }],
		outputs: [{ name: output, dtype: stack.dtype, shape: outputShape }],
		initializers: b.initializers,
		valueInfo: {}
	};
	const { model } = stack;
	return { ...model, graph, docString: doc, metadata: { ...model.metadata, 'tightfit.tiling': doc } };
}

function region(tile: Tile, which: 'input' | 'output'): string {
	const r = tile[which];
	return `rows ${r.rows.start}..${r.rows.end - 1}, cols ${r.cols.start}..${r.cols.end - 1}`;
}

/** The model's input: the image (running the prefix) or the stack input. */
function start(stack: FusedStack, b: Builder, options: WholeModelOptions): string {
	if (options.prefix === false) return stack.input;
	b.prefix();
	return stack.source;
}

const describeStack = (stack: FusedStack) =>
	`fused stack of ${stack.layers} layers (${stack.first}..${stack.first + stack.layers - 1})`;

/** The untiled stack as its own model: the image (or the stack input) to the cut tensor. */
export function stackModel(stack: FusedStack, options: WholeModelOptions = {}): Model {
	const b = new Builder(stack, defaultOpset(stack.model));
	const input = start(stack, b, options);
	for (const { node } of stack.nodes) {
		b.nodes.push(node);
		b.weights(node);
	}
	return wrap(stack, b, `${stack.model.graph.name}/stack`, input, nchw(stack, input), stack.output, nchw(stack, stack.output),
		`${describeStack(stack)}, untiled`);
}

/** One tile's model; its output is named like the stack output and holds the tile's block of it. */
export function tileModel(stack: FusedStack, tile: Tile, options: TileModelOptions = {}): Model {
	const b = new Builder(stack, defaultOpset(stack.model));
	const crop = options.crop ?? 'slice';
	let source = stack.input;
	if (crop === 'slice') {
		source = `tile/${stack.input}`;
		b.slice('tile/crop', stack.input, source, [tile.input.rows.start, tile.input.cols.start], [tile.input.rows.end, tile.input.cols.end]);
	}
	const out = b.tile(tile, 'tile/', source);
	b.nodes.push({ name: 'tile/output', opType: 'Identity', domain: '', inputs: [out], outputs: [stack.output], attrs: {} });
	const inputShape = crop === 'slice' ? nchw(stack, stack.input) : nchw(stack, stack.input, tile.input);
	return wrap(stack, b, `${stack.model.graph.name}/tile${tile.row}_${tile.col}`, stack.input, inputShape, stack.output, nchw(stack, stack.output, tile.output),
		`tile (${tile.row}, ${tile.col}) of a ${describeStack(stack)}: output ${region(tile, 'output')}, input ${region(tile, 'input')}`);
}

/** Every tile in one model, stitched with Concat (columns within a row, then rows): same I/O as `stackModel`. */
export function stitchedModel(stack: FusedStack, partition: Partition, options: WholeModelOptions = {}): Model {
	const b = new Builder(stack, defaultOpset(stack.model));
	const input = start(stack, b, options);
	const { rows, cols } = partition.grid;
	const rowOutputs: string[] = [];
	for (let r = 0; r < rows; r++) {
		const outs = partition.tiles.slice(r * cols, (r + 1) * cols).map((tile) => {
			const prefix = `tile${tile.row}_${tile.col}/`;
			const source = `${prefix}${stack.input}`;
			b.slice(`${prefix}crop`, stack.input, source, [tile.input.rows.start, tile.input.cols.start], [tile.input.rows.end, tile.input.cols.end]);
			return b.tile(tile, prefix, source);
		});
		rowOutputs.push(concat(b, `row${r}`, outs, 3));
	}
	const merged = concat(b, 'rows', rowOutputs, 2);
	b.nodes.push({ name: 'stitch/output', opType: 'Identity', domain: '', inputs: [merged], outputs: [stack.output], attrs: {} });
	return wrap(stack, b, `${stack.model.graph.name}/tiled${rows}x${cols}`, input, nchw(stack, input), stack.output, nchw(stack, stack.output),
		`${describeStack(stack)} as ${rows}×${cols} tiles${stack.prefix.length && options.prefix !== false ? ` after the untiled layers 0..${stack.first - 1}` : ''}, stitched with Concat`);
}

function concat(b: Builder, name: string, inputs: string[], axis: number): string {
	if (inputs.length === 1) return inputs[0];
	const out = `stitch/${name}`;
	b.nodes.push({ name: out, opType: 'Concat', domain: '', inputs, outputs: [out], attrs: { axis: { type: 'int', value: axis } } });
	return out;
}

/**
 * Assembles tile outputs (NCHW blocks, in the partition's tile order) into the full output map in
 * JS, as a gateway merging results would.
 * @param shape the stack output's [N, C, H, W].
 */
export function stitchOutputs(partition: Partition, outputs: ArrayLike<number>[], shape: number[]): Float32Array {
	const [n, c, h, w] = shape;
	const full = new Float32Array(n * c * h * w);
	partition.tiles.forEach((tile, t) => {
		const data = outputs[t];
		const th = intervalLength(tile.output.rows);
		const tw = intervalLength(tile.output.cols);
		if (data.length !== n * c * th * tw) throw new Error(`tile (${tile.row}, ${tile.col}) output has ${data.length} elements, expected ${n * c * th * tw}`);
		for (let plane = 0; plane < n * c; plane++) {
			for (let y = 0; y < th; y++) {
				const src = (plane * th + y) * tw;
				const dst = (plane * h + tile.output.rows.start + y) * w + tile.output.cols.start;
				for (let x = 0; x < tw; x++) full[dst + x] = data[src + x];
			}
		}
	});
	return full;
}
