import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.ts';
import { inflateRaw, inflateStored, storedDeflate } from './deflate.ts';

describe('base64url', () => {
	it('matches Node’s base64url and round-trips', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
				const text = toBase64Url(bytes);
				expect(text).toBe(Buffer.from(bytes).toString('base64url'));
				expect(fromBase64Url(text)).toEqual(bytes);
			}),
			{ seed: 64, numRuns: 300 }
		);
	});

	it('refuses characters outside the alphabet and impossible lengths', () => {
		for (const bad of ['ab=c', 'ab+c', 'ab/c', 'abcde', 'é', 'ab c']) expect(fromBase64Url(bad)).toBeNull();
		expect(fromBase64Url('')).toEqual(new Uint8Array());
	});
});

describe('stored-block deflate', () => {
	it('round-trips, across block boundaries, and is read by DecompressionStream too', async () => {
		for (const n of [0, 1, 65_535, 65_536, 140_000]) {
			const bytes = new Uint8Array(n).map((_, i) => (i * 31) & 0xff);
			const deflated = storedDeflate(bytes);
			expect(inflateStored(deflated, 1 << 20)).toEqual({ ok: true, bytes });
			expect(await inflateRaw(deflated, 1 << 20)).toEqual({ ok: true, bytes });
		}
	});

	it('reports limits, corruption and compressed blocks without throwing', () => {
		const deflated = storedDeflate(new Uint8Array(1000));
		expect(inflateStored(deflated, 999)).toEqual({ ok: false, reason: 'too-large' });
		expect(inflateStored(deflated.subarray(0, 500), 5000)).toEqual({ ok: false, reason: 'corrupt' });
		const badLength = deflated.slice();
		badLength[3] ^= 1;
		expect(inflateStored(badLength, 5000)).toEqual({ ok: false, reason: 'corrupt' });
		expect(inflateStored(new Uint8Array([0x03, 0, 0, 0, 0]), 5000)).toEqual({ ok: false, reason: 'unsupported' });
		expect(inflateStored(new Uint8Array([]), 5000)).toEqual({ ok: false, reason: 'corrupt' });
	});
});
