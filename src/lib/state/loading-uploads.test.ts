import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { IdSchema } from '../core/scenario/schema';
import { isUploadId, missingUploadsMessage, modelLabel, resolveUploads, uploadWorkloadId } from './loading-uploads';

const shaA = 'ab'.repeat(32);
const shaB = '0123456789abcdef'.repeat(4);

describe('uploads in a workload', () => {
	it('names an upload by the first 32 hex digits of its sha256, a valid scenario id', () => {
		const id = uploadWorkloadId(shaA);
		expect(id).toBe(`upload:${'ab'.repeat(16)}`);
		expect(v.is(IdSchema, id)).toBe(true);
		expect(isUploadId(id)).toBe(true);
		expect(isUploadId('ppocr-v4-det')).toBe(false);
	});

	it('finds uploads by prefix, leaves zoo ids alone and reports the ones this browser lacks', () => {
		const ids = ['ppocr-v4-det', uploadWorkloadId(shaA), uploadWorkloadId(shaB), 'upload:not-hex', uploadWorkloadId(shaA)];
		const { found, missing } = resolveUploads(ids, [{ sha256: shaA, name: 'mine.onnx' }]);
		expect([...found.keys()]).toEqual([uploadWorkloadId(shaA)]);
		expect(found.get(uploadWorkloadId(shaA))?.name).toBe('mine.onnx');
		expect(missing).toEqual([uploadWorkloadId(shaB), 'upload:not-hex']);
		expect(modelLabel(uploadWorkloadId(shaA), found)).toBe('mine.onnx (upload)');
		expect(modelLabel('ppocr-v4-det', found)).toBe('ppocr-v4-det');
	});

	it('a prefix never matches another file', () => {
		expect(resolveUploads([uploadWorkloadId(shaB)], [{ sha256: shaA, name: 'a' }]).missing).toEqual([uploadWorkloadId(shaB)]);
	});

	it('the notice names each missing model and what is simulated instead', () => {
		const id = uploadWorkloadId(shaB);
		expect(missingUploadsMessage([id], ['ppocr-v4-det', 'ppocr-v4-rec'])).toMatch(new RegExp(`does not have: “${id}”.*without it: ppocr-v4-det → ppocr-v4-rec`));
		expect(missingUploadsMessage([id, 'upload:x'], [])).toMatch(/uploaded models .*“upload:x”.*No other model is left/);
	});
});
