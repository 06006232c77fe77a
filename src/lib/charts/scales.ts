/**
 * Scales the memory views share: the log-scale ceiling slider and byte axes whose ticks fall on
 * round binary units (KiB, MiB, GiB), as device memory is quoted.
 */
import { scaleLinear, scaleLog, ticks, type ScaleLinear } from 'd3';

export const KIB = 1024;
/** The ceiling slider's range: 16 KiB (a small MCU) to 8 GiB (a large SBC). */
export const CEILING_MIN_BYTES = 16 * KIB;
export const CEILING_MAX_BYTES = 8 * KIB ** 3;
/** The slider is an integer input from 0 to this. */
export const SLIDER_STEPS = 1000;

const ceilingScale = scaleLog().domain([CEILING_MIN_BYTES, CEILING_MAX_BYTES]).range([0, SLIDER_STEPS]).clamp(true);

/** Slider position (0…SLIDER_STEPS) for a ceiling in bytes; clamped to the slider's range. */
export function ceilingToSlider(bytes: number): number {
	return Math.round(ceilingScale(Math.max(1, bytes)));
}

/**
 * Ceiling in bytes for a slider position, rounded to three significant digits in the largest binary
 * unit below it (so a drag lands on 270 KiB, not 270.3314 KiB).
 */
export function sliderToCeiling(position: number): number {
	const raw = ceilingScale.invert(Math.min(SLIDER_STEPS, Math.max(0, position)));
	const unit = binaryUnit(raw).bytes;
	const inUnit = raw / unit;
	const digits = Math.max(0, 2 - Math.floor(Math.log10(inUnit)));
	const rounded = Math.round(inUnit * 10 ** digits) / 10 ** digits;
	return Math.min(CEILING_MAX_BYTES, Math.max(CEILING_MIN_BYTES, Math.round(rounded * unit)));
}

const UNITS = [
	{ name: 'B', bytes: 1 },
	{ name: 'KiB', bytes: KIB },
	{ name: 'MiB', bytes: KIB ** 2 },
	{ name: 'GiB', bytes: KIB ** 3 },
	{ name: 'TiB', bytes: KIB ** 4 }
] as const;

/** The largest binary unit not above `bytes` (bytes itself below 1 KiB). */
export function binaryUnit(bytes: number): (typeof UNITS)[number] {
	let u: (typeof UNITS)[number] = UNITS[0];
	for (const unit of UNITS) if (Math.abs(bytes) >= unit.bytes) u = unit;
	return u;
}

export interface Tick {
	value: number;
	label: string;
}

/** About `count` round ticks from 0 to at least `maxBytes`, labelled in one binary unit. */
export function byteTicks(maxBytes: number, count = 5): Tick[] {
	const unit = binaryUnit(maxBytes);
	return ticks(0, Math.max(maxBytes, 1) / unit.bytes, count).map((t) => ({ value: t * unit.bytes, label: `${+t.toFixed(3)} ${unit.name}` }));
}

/** A linear byte scale onto [0, length] whose domain ends on the last round tick at or above `maxBytes`. */
export function byteScale(maxBytes: number, length: number, count = 5): { scale: ScaleLinear<number, number>; ticks: Tick[] } {
	const unit = binaryUnit(maxBytes).bytes;
	const domain = scaleLinear()
		.domain([0, Math.max(maxBytes, 1) / unit])
		.nice(count)
		.domain();
	const scale = scaleLinear().domain([0, domain[1] * unit]).range([0, length]);
	return { scale, ticks: byteTicks(domain[1] * unit, count) };
}

/** A linear scale for any other quantity (ms, mJ) with round ticks and a formatter. */
export function valueScale(maxValue: number, length: number, count = 4): { scale: ScaleLinear<number, number>; ticks: Tick[] } {
	const scale = scaleLinear().domain([0, maxValue > 0 ? maxValue : 1]).nice(count).range([0, length]);
	const format = scale.tickFormat(count);
	return { scale, ticks: scale.ticks(count).map((t) => ({ value: t, label: format(t) })) };
}
