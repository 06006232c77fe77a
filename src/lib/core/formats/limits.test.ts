import { describe, expect, it } from 'vitest';
import { ModelFormatError } from './errors';
import { PAGE_MODEL_LIMIT_BYTES, checkPageModelSize } from './limits';
import { MAX_MODEL_BYTES } from './onnx/import';

describe('checkPageModelSize', () => {
	it('accepts a file of exactly the limit and refuses one byte more, with the reason', () => {
		expect(() => checkPageModelSize(PAGE_MODEL_LIMIT_BYTES, 'ok.onnx')).not.toThrow();
		let err: unknown;
		try {
			checkPageModelSize(PAGE_MODEL_LIMIT_BYTES + 1, 'big.onnx');
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(ModelFormatError);
		const e = err as ModelFormatError;
		expect(e.code).toBe('too-large');
		expect(e.fileName).toBe('big.onnx');
		expect(e.message).toMatch(/'big\.onnx' is 512 MiB; this page opens models up to 512 MiB/);
		expect(e.message).toMatch(/4 GB/);
		expect(e.message).toMatch(/twice/);
	});

	it('is below what the core itself accepts', () => {
		expect(PAGE_MODEL_LIMIT_BYTES).toBeLessThan(MAX_MODEL_BYTES);
	});
});
