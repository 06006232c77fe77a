import { describe, expect, it } from 'vitest';
import { sqnrLayout } from './sqnr-bars';

describe('sqnrLayout', () => {
	it('orders bars by row, scales by dB, draws ∞ full width and flags low rows', () => {
		const l = sqnrLayout([{ label: 'a', sqnrDb: 20 }, { label: 'b', sqnrDb: Infinity }, { label: 'c', sqnrDb: 5 }, { label: 'd', sqnrDb: -3 }], 200, 10);
		expect(l.bars.map((b) => b.y)).toEqual([0, 10, 20, 30]);
		expect(l.bars[0].width).toBeCloseTo(100);
		expect(l.bars[1]).toMatchObject({ width: 200, text: '∞', low: false });
		expect(l.bars[2].low).toBe(true);
		expect(l.bars[3].width).toBe(1);
		expect(l.ticks[0]).toEqual({ x: 0, label: '0' });
		expect(l.height).toBe(40);
	});
});
