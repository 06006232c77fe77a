/** Every TensorProto storage field becomes the same little-endian bytes. Protos go through encode/decode so int64s arrive as protobufjs gives them. */
import { describe, expect, it } from 'vitest';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { readTensorProto } from '../../../testing/tensor-proto';
import { onnx } from './proto';
import { tensorFromProto, tensorToProto } from './tensor';

const wire = (proto: OnnxTypes.ITensorProto) => onnx.TensorProto.decode(onnx.TensorProto.encode(proto).finish());
const read = (proto: OnnxTypes.ITensorProto) => tensorFromProto(wire(proto), 'initializer', `tensor '${proto.name}'`);

describe('tensorFromProto', () => {
	it('reads float_data, double_data and int32_data as raw little-endian bytes', () => {
		expect([...new Float32Array(read({ name: 'f', dataType: 1, dims: [2], floatData: [1.5, -2] }).data.slice().buffer)]).toEqual([1.5, -2]);
		expect([...new Float64Array(read({ name: 'd', dataType: 11, dims: [1], doubleData: [0.1] }).data.slice().buffer)]).toEqual([0.1]);
		expect([...new Int16Array(read({ name: 's', dataType: 5, dims: [2], int32Data: [-3, 300] }).data.slice().buffer)]).toEqual([-3, 300]);
		expect([...read({ name: 'b', dataType: 9, dims: [3], int32Data: [1, 0, 1] }).data]).toEqual([1, 0, 1]);
	});

	it('keeps float16 bit patterns stored one per int32', () => {
		expect([...new Uint16Array(read({ name: 'h', dataType: 10, dims: [2], int32Data: [0x3c00, 0xc000] }).data.slice().buffer)]).toEqual([0x3c00, 0xc000]);
	});

	it('reads packed int4 bytes from int32_data (two elements per entry) and checks the length', () => {
		expect([...read({ name: 'q', dataType: 22, dims: [3], int32Data: [0xf1, 0x07] }).data]).toEqual([0xf1, 0x07]);
		expect(() => read({ name: 'q', dataType: 22, dims: [3], int32Data: [1, 2, 3] })).toThrow(/tensor 'q'.*needs 2 bytes/);
	});

	it('reads int64_data and uint64_data exactly, beyond 2^53', () => {
		const big = read({ name: 'i', dataType: 7, dims: [2], int64Data: [{ low: 0xffffffff, high: 0x7fffffff } as never, -5] });
		expect([...new BigInt64Array(big.data.slice().buffer)]).toEqual([9223372036854775807n, -5n]);
		const u = read({ name: 'u', dataType: 13, dims: [1], uint64Data: [{ low: 0xffffffff, high: 0xffffffff, unsigned: true } as never] });
		expect([...new BigUint64Array(u.data.slice().buffer)]).toEqual([18446744073709551615n]);
		const u32 = read({ name: 'u32', dataType: 12, dims: [1], uint64Data: [4000000000] });
		expect([...new Uint32Array(u32.data.slice().buffer)]).toEqual([4000000000]);
	});

	it('keeps strings and writes them back', () => {
		const s = read({ name: 's', dataType: 8, dims: [2], stringData: [new TextEncoder().encode('a'), new TextEncoder().encode('ß')] });
		expect(s.strings).toEqual(['a', 'ß']);
		expect(read(tensorToProto(s)).strings).toEqual(['a', 'ß']);
	});

	it('names types it does not know', () => {
		expect(() => read({ name: 'x', dataType: 99, dims: [1] })).toThrow(/tensor 'x' has data type 99/);
	});
});

describe('readTensorProto', () => {
	it('returns the typed array onnxruntime-web expects', () => {
		const bytes = onnx.TensorProto.encode({ name: 'y', dataType: 7, dims: [2], int64Data: [3, -4] }).finish();
		const t = readTensorProto(bytes);
		expect(t).toMatchObject({ name: 'y', dtype: 'int64', dims: [2] });
		expect(t.data).toEqual(BigInt64Array.of(3n, -4n));
	});
});
