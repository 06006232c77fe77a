/**
 * Replays every case that once failed the fuzz harness, kept under tests/fuzz-regressions/: a file
 * is one case, a folder is a multi-file case (model.json with its shards). Each must now end in a
 * graph or a ModelFormatError within the time bound, on every target.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NamedFile } from '../formats/tfjs/model-json';
import { runCase } from './harness';

const dir = join(process.cwd(), 'tests/fuzz-regressions');
const entries = readdirSync(dir).filter((name) => !name.startsWith('.') && name !== 'README.md').sort();

function filesOf(name: string): NamedFile[] {
	const path = join(dir, name);
	if (!statSync(path).isDirectory()) return [{ name, bytes: new Uint8Array(readFileSync(path)) }];
	return readdirSync(path).sort().map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(path, f))) }));
}

describe('fuzz regressions', () => {
	it('has cases to replay', () => expect(entries.length).toBeGreaterThan(0));

	it.each(entries)('%s ends in a graph or a typed error, in time, on every target', (name) => {
		const failures = runCase(filesOf(name)).filter((o) => o.result === 'failure');
		expect(failures.map((f) => `${f.target}/${f.stage}: ${f.message}`)).toEqual([]);
	});
});
