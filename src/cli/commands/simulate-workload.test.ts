import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseByteSize, simulateWorkloadCommand } from './simulate-workload';

const dir = mkdtempSync(join(tmpdir(), 'tightfit-workload-'));
const write = (name: string, value: unknown) => {
	const path = join(dir, name);
	writeFileSync(path, JSON.stringify(value));
	return path;
};
const layers = [
	{ name: 'a', weightBytes: 4_000_000, outputBytes: 100_000, macs: 5e7 },
	{ name: 'b', weightBytes: 4_000_000, outputBytes: 100_000, macs: 5e7 }
];
const inline = write('inline.json', {
	name: 'inline',
	models: [{ id: 'm', layers }],
	streams: [{ kind: 'batch', models: ['m'], count: 3, deadlineMs: 1000 }]
});

function capture() {
	const out: string[] = [];
	const err: string[] = [];
	return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe('tightfit simulate --workload', () => {
	it('prints one JSON run per policy with metrics', async () => {
		const { io, out } = capture();
		expect(await simulateWorkloadCommand(['--workload', inline, '--device', 'pi3', '--ceiling', '64MB', '--policy', 'linear,interleaved:2', '--cache', 'lru', '--json'], io)).toBe(0);
		const json = JSON.parse(out.join('\n'));
		expect(json.runs.map((r: { policy: string }) => r.policy)).toEqual(['linear', 'interleaved k=2']);
		const [lin, int] = json.runs;
		expect(int.metrics.makespanMs).toBeLessThanOrEqual(lin.metrics.makespanMs);
		expect(lin.tasks).toHaveLength(3);
		expect(lin.cache.hits).toBeGreaterThan(0);
	});

	it('prints a table by default comparing every policy', async () => {
		const { io, out } = capture();
		expect(await simulateWorkloadCommand(['--workload', inline, '--ceiling', 'none'], io)).toBe(0);
		expect(out[0]).toMatch(/inline: 3 tasks on Raspberry Pi 3B/);
		expect(out.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual(['policy', 'bulk', 'linear', 'interleaved k=1', 'interleaved k=4', 'partial 64.0 MiB k=2']);
	});

	it('--devices shares the workload among identical devices: a batch finishes sooner, the work is the same', async () => {
		const runOn = async (devices: string) => {
			const { io, out } = capture();
			expect(await simulateWorkloadCommand(['--workload', inline, '--ceiling', '64MB', '--policy', 'linear', '--devices', devices, '--json', '--timeline'], io)).toBe(0);
			return JSON.parse(out.join('\n'));
		};
		const [one, three] = [await runOn('1'), await runOn('3')];
		expect(three.devices).toBe(3);
		expect(three.runs[0].metrics.makespanMs).toBeLessThan(one.runs[0].metrics.makespanMs);
		expect(three.runs[0].metrics.computeBusyMs).toBeCloseTo(one.runs[0].metrics.computeBusyMs);
		expect(three.runs[0].memoryByDevice).toHaveLength(3);
		expect(new Set(three.runs[0].intervals.map((i: { device: string }) => i.device))).toEqual(new Set(['pi3/1', 'pi3/2', 'pi3/3']));
		const { io } = capture();
		await expect(simulateWorkloadCommand(['--workload', inline, '--devices', '0'], io)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/bad --devices '0'/) });
	});

	it('throws CLI errors (reported by main as one line): a bad workload with paths, bad options as usage errors', async () => {
		const bad = write('bad.json', { name: 'x', models: [{ id: 'm', layers }], streams: [{ kind: 'batch', models: ['n'], count: 1 }] });
		const { io } = capture();
		await expect(simulateWorkloadCommand(['--workload', bad], io)).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/streams\.0\.models\.0: unknown model "n"/) });
		await expect(simulateWorkloadCommand(['--workload', inline, '--cache', 'mru'], io)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/bad --cache 'mru'/) });
		await expect(simulateWorkloadCommand(['--workload', inline, '--policy', 'partial'], io)).rejects.toThrow(/partial needs a budget/);
		await expect(simulateWorkloadCommand([], io)).rejects.toThrow(/--workload is required/);
	});

	it('parses sizes', () => {
		expect(parseByteSize('512MB')).toBe(512e6);
		expect(parseByteSize('1.5GiB')).toBe(1.5 * 2 ** 30);
		expect(parseByteSize('none')).toBe(Infinity);
		expect(() => parseByteSize('12 parsecs')).toThrow(/bad size/);
	});
});
