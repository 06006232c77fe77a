import { describe, expect, it } from 'vitest';
import { OutOfMemoryError, SMALLER_VARIANTS, classifyRuntimeError, isOutOfMemory, smallerVariantsFor } from './oom';

/** Messages seen from onnxruntime-web 1.2x and V8, and ordinary failures that must not read as OOM. */
const OOM: unknown[] = [
	new WebAssembly.RuntimeError('memory access out of bounds'),
	new RangeError('Array buffer allocation failed'),
	new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'),
	new RangeError('Invalid typed array length: 1200000000'),
	new Error('failed to call OrtRun(). ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc'),
	new Error("Can't create a session. ERROR_CODE: 1, ERROR_MESSAGE: Failed to allocate memory for requested buffer of size 4280000000"),
	new Error('failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: onnxruntime/core/common/safeint.h:17 SafeIntOnOverflow() Integer overflow'),
	new Error('Aborted(). Build with -sASSERTIONS for more info.'),
	new Error('Requested texture size [92683x92683] greater than WebGL maximum on this browser / GPU [8192x8192].'),
	new Error('failed to call OrtRun(). ERROR_CODE: 2, ERROR_MESSAGE: op_kernel.cc:83 OutputMLValue [ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Tensor shape is too large'),
	'Cannot enlarge memory arrays to size 4294967296 bytes (OOM).',
	new Error('Out of memory')
];
const NOT_OOM: unknown[] = [
	new Error("failed to call OrtRun(). ERROR_CODE: 2, ERROR_MESSAGE: Got invalid dimensions for input: x for the following indices"),
	new Error("Can't create a session. ERROR_CODE: 10, ERROR_MESSAGE: Load model from buffer failed: Protobuf parsing failed."),
	new TypeError("Cannot read properties of undefined (reading 'dims')"),
	new RangeError('Maximum call stack size exceeded'),
	'No value for model input \'x\'',
	undefined
];

describe('isOutOfMemory', () => {
	it.each(OOM.map((e) => [String(e), e]))('reads %s as out of memory', (_label, e) => {
		expect(isOutOfMemory(e)).toBe(true);
	});
	it.each(NOT_OOM.map((e) => [String(e), e]))('does not read %s as out of memory', (_label, e) => {
		expect(isOutOfMemory(e)).toBe(false);
	});
});

describe('classifyRuntimeError', () => {
	it('turns an OOM into an OutOfMemoryError with the code and what was being done', () => {
		const e = classifyRuntimeError(new WebAssembly.RuntimeError('memory access out of bounds'), 'running the model');
		expect(e).toBeInstanceOf(OutOfMemoryError);
		expect((e as OutOfMemoryError).code).toBe('out-of-memory');
		expect((e as Error).message).toMatch(/while running the model \(memory access out of bounds\)/);
		expect((e as Error).message).toMatch(/4 GB/);
	});
	it('names the runtime, so a TF.js failure does not blame onnxruntime-web', () => {
		const e = classifyRuntimeError(new RangeError('Array buffer allocation failed'), 'loading the model', 'tensorflow.js');
		expect(e).toBeInstanceOf(OutOfMemoryError);
		expect((e as Error).message).toMatch(/^tensorflow\.js ran out of memory while loading the model/);
		expect((e as Error).message).toMatch(/WebGL textures/);
	});
	it('leaves any other error as it was', () => {
		const original = new Error('Got invalid dimensions for input: x');
		expect(classifyRuntimeError(original, 'running the model')).toBe(original);
	});
});

describe('smallerVariantsFor', () => {
	it('offers int8 weights and tiling after an out-of-memory, nothing after any other failure', () => {
		expect(smallerVariantsFor('out-of-memory').map((v) => v.id)).toEqual(['int8-weight', 'tiling']);
		for (const code of ['engine', 'internal', 'worker-crashed', 'truncated', 'cancelled']) expect(smallerVariantsFor(code)).toEqual([]);
		expect(new Set(SMALLER_VARIANTS.map((v) => v.label)).size).toBe(SMALLER_VARIANTS.length);
	});
});
