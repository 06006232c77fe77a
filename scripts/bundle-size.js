#!/usr/bin/env node
/**
 * The initial JavaScript of the built site: every script build/index.html loads (its modulepreload links and
 * the modules its inline bootstrap imports), followed through their static imports, each counted once.
 * Dynamic `import()`s and workers are left out: they load later (a runtime only when something runs).
 * Prints the raw and gzipped sizes (zlib's default level, what a static server typically sends).
 *
 * Usage (after `vite build`): node scripts/bundle-size.js [build-dir] [--json] [--list]
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const buildDir = resolve(args.find((a) => !a.startsWith('--')) ?? 'build');
const html = readFileSync(join(buildDir, 'index.html'), 'utf8');

/** Relative module specifiers a module imports statically (`import x from "./a.js"`, `import "./a.js"`, `export … from`). */
function staticImports(code) {
	const specs = new Set();
	// Minified output has no space before the quote; an `import(` call is dynamic and is not matched.
	for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) specs.add(m[1]);
	return [...specs];
}

const entries = new Set();
for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
	const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
	if (href) entries.add(resolve(buildDir, href));
}
for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)) entries.add(resolve(buildDir, m[1]));
for (const script of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
	for (const m of script[1].matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) entries.add(resolve(buildDir, m[1]));
}

const seen = new Map();
const queue = [...entries];
while (queue.length) {
	const file = queue.pop();
	if (seen.has(file)) continue;
	if (!existsSync(file)) throw new Error(`index.html or a module refers to ${relative(buildDir, file)}, which is not in the build`);
	const code = readFileSync(file);
	seen.set(file, { bytes: code.length, gzipBytes: gzipSync(code).length });
	for (const spec of staticImports(code.toString('utf8'))) queue.push(resolve(dirname(file), spec));
}

const files = [...seen].map(([file, s]) => ({ file: relative(buildDir, file), ...s })).sort((a, b) => b.gzipBytes - a.gzipBytes);
const total = files.reduce((t, f) => ({ bytes: t.bytes + f.bytes, gzipBytes: t.gzipBytes + f.gzipBytes }), { bytes: 0, gzipBytes: 0 });
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

if (args.includes('--json')) {
	console.log(JSON.stringify({ files: files.length, ...total, list: args.includes('--list') ? files : undefined }, null, 2));
} else {
	if (args.includes('--list')) for (const f of files) console.log(`${kib(f.gzipBytes).padStart(11)}  ${f.file}`);
	console.log(`Initial JavaScript: ${files.length} files, ${kib(total.bytes)} raw, ${kib(total.gzipBytes)} gzipped`);
}
