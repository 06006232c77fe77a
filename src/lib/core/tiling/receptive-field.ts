/**
 * Receptive-field arithmetic for fused tile partitioning (DeepThings, IEEE TCAD 2018): which input
 * rows and columns a window op (convolution, pooling) reads to produce a given block of its output,
 * and how far the halo grows through a stack. Everything is per spatial axis, in elements, with
 * half-open intervals, and padding counted as virtual positions outside [0, size).
 */

/** A half-open range [start, end) of positions along one spatial axis. May reach outside the tensor. */
export interface Interval {
	start: number;
	end: number;
}

/** A block of a feature map: rows (H) and columns (W), both half-open. */
export interface Region {
	rows: Interval;
	cols: Interval;
}

/** One window op along one axis. An elementwise op is kernel 1, stride 1, dilation 1, no padding. */
export interface AxisWindow {
	kernel: number;
	stride: number;
	dilation: number;
	padBegin: number;
	padEnd: number;
}

/** A spatially local op: a window per axis (H, W). Elementwise ops are the identity window. */
export interface SpatialLayer {
	kind: 'conv' | 'max-pool' | 'average-pool' | 'elementwise';
	rows: AxisWindow;
	cols: AxisWindow;
}

/** The window of an op that reads exactly the position it writes (zero halo). */
export const IDENTITY_WINDOW: AxisWindow = Object.freeze({ kernel: 1, stride: 1, dilation: 1, padBegin: 0, padEnd: 0 });

/** Span of one dilated window in input positions: (k − 1)·d + 1. */
export function windowSpan(w: AxisWindow): number {
	return (w.kernel - 1) * w.dilation + 1;
}

/**
 * The input positions output positions [o0, o1) read, in unpadded input coordinates (negative or ≥
 * size where the window covers padding): [o0·s − padBegin, (o1 − 1)·s − padBegin + span).
 * An empty output range gives an empty input range.
 */
export function inputInterval(out: Interval, w: AxisWindow): Interval {
	if (out.end <= out.start) return { start: out.start * w.stride - w.padBegin, end: out.start * w.stride - w.padBegin };
	return { start: out.start * w.stride - w.padBegin, end: (out.end - 1) * w.stride - w.padBegin + windowSpan(w) };
}

/** The input block an output block reads (see `inputInterval`), unclipped. */
export function inputRegion(out: Region, layer: SpatialLayer): Region {
	return { rows: inputInterval(out.rows, layer.rows), cols: inputInterval(out.cols, layer.cols) };
}

/** The part of an interval inside [0, size). */
export function clipInterval(i: Interval, size: number): Interval {
	const start = Math.min(Math.max(i.start, 0), size);
	return { start, end: Math.max(start, Math.min(i.end, size)) };
}

/** The part of a region inside a height × width map. */
export function clipRegion(r: Region, height: number, width: number): Region {
	return { rows: clipInterval(r.rows, height), cols: clipInterval(r.cols, width) };
}

/** How many padding positions an unclipped interval covers before 0 and after size: [before, after]. */
export function paddingOf(i: Interval, size: number): [number, number] {
	return [Math.max(0, -i.start), Math.max(0, i.end - size)];
}

/** Smallest interval holding both (an empty one is ignored). */
export function unionInterval(a: Interval | undefined, b: Interval): Interval {
	if (!a || a.end <= a.start) return { ...b };
	if (b.end <= b.start) return { ...a };
	return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/** Bounding box of two regions. */
export function unionRegion(a: Region | undefined, b: Region): Region {
	return { rows: unionInterval(a?.rows, b.rows), cols: unionInterval(a?.cols, b.cols) };
}

export function intervalLength(i: Interval): number {
	return Math.max(0, i.end - i.start);
}

export function regionArea(r: Region): number {
	return intervalLength(r.rows) * intervalLength(r.cols);
}

/** Receptive field of a chain of windows along one axis. */
export interface AxisReceptiveField {
	/** Input positions one output position depends on. */
	size: number;
	/** Input positions between neighbouring output positions (product of strides). */
	jump: number;
	/**
	 * Positions two adjacent tiles of the output both read from the input: size − jump. The halo on
	 * each side of an interior tile is half of it when it is even.
	 */
	overlap: number;
}

/**
 * Classic receptive-field recurrence over a chain (first op first): size += (k − 1)·d·jump,
 * jump *= s. Padding does not change it; it only decides how much of the field lies outside.
 */
export function receptiveField(windows: readonly AxisWindow[]): AxisReceptiveField {
	let size = 1;
	let jump = 1;
	for (const w of windows) {
		size += (w.kernel - 1) * w.dilation * jump;
		jump *= w.stride;
	}
	return { size, jump, overlap: Math.max(0, size - jump) };
}
