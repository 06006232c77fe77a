/**
 * A synthesised 16 kHz test clip for the audio models: a voiced, syllable-like harmonic tone, a quiet
 * rising chirp and seeded noise. Sample i depends only on i and the seed, so a shorter clip is
 * exactly a prefix of a longer one.
 */
import { gaussian, mulberry32 } from './prng.ts';

export const SAMPLE_RATE = 16_000;
export const CLIP_SEED = 0x7ea1f17;

/** Voice-like fundamental (Hz) with a slow vibrato, eight harmonics falling off as 1/k. */
const F0 = 140;
const HARMONICS = 8;
/** Syllables per second: the harmonic tone is gated on and off at a speech-like rate. */
const SYLLABLE_RATE = 4;
/** The chirp sweeps CHIRP_FROM → CHIRP_TO Hz over CHIRP_SECONDS, then repeats. */
const CHIRP_FROM = 200;
const CHIRP_TO = 4000;
const CHIRP_SECONDS = 2;

/**
 * `samples` samples of the clip at 16 kHz, in [−1, 1] (peak about 0.5, like a normalised recording).
 * The syllable envelope peaks at 1/16 s, 3/16 s, …: sample 1000 is the middle of the first syllable.
 */
export function synthClip(samples: number, seed = CLIP_SEED): Float32Array {
	const noise = gaussian(mulberry32(seed));
	const out = new Float32Array(samples);
	const sweepRate = (CHIRP_TO - CHIRP_FROM) / CHIRP_SECONDS;
	for (let i = 0; i < samples; i++) {
		const t = i / SAMPLE_RATE;
		const envelope = Math.max(0, Math.sin(2 * Math.PI * SYLLABLE_RATE * t)) ** 2;
		const phase = 2 * Math.PI * (F0 * t + 2 * Math.sin(2 * Math.PI * 5 * t) / (2 * Math.PI * 5));
		let voiced = 0;
		for (let k = 1; k <= HARMONICS; k++) voiced += Math.sin(k * phase) / k;
		const tc = t % CHIRP_SECONDS;
		const chirp = Math.sin(2 * Math.PI * (CHIRP_FROM * tc + 0.5 * sweepRate * tc * tc));
		out[i] = 0.22 * envelope * voiced + 0.06 * chirp + 0.01 * noise();
	}
	return out;
}
