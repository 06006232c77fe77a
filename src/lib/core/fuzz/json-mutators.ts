/**
 * Mutators for a TF.js model.json: replace one value anywhere in the parsed tree with a hostile one,
 * drop a key, duplicate an array entry, add prototype-pollution keys or nest absurdly deep.
 */
import type { Mutator } from './mutators';
import type { Rng } from './random';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const HOSTILE_VALUES: Json[] = [
	null, true, -1, 0, 2 ** 40, -(2 ** 31), 1e308, 0.5, '', 'NaN', '<img src=x onerror=alert(1)>', [], {}, [2 ** 20, 2 ** 20, 2 ** 20],
	[-1, -1], ['a'], { __proto__: { polluted: true } } as unknown as Json, 'float64', 'complex64'
];

const text = new TextEncoder();
const decoder = new TextDecoder();

/** Every (container, key) pair in the tree, at most `limit` of them, breadth first. */
function slots(root: Json, limit = 5000): [Json[] | Record<string, Json>, string | number][] {
	const out: [Json[] | Record<string, Json>, string | number][] = [];
	const queue: Json[] = [root];
	while (queue.length && out.length < limit) {
		const v = queue.shift() ?? null;
		const entries: [string | number, Json][] = Array.isArray(v) ? v.map((c, i) => [i, c]) : v && typeof v === 'object' ? Object.entries(v) : [];
		for (const [k, c] of entries) {
			out.push([v as Json[] | Record<string, Json>, k]);
			queue.push(c);
		}
	}
	return out;
}

function parse(bytes: Uint8Array): Json | undefined {
	try {
		return JSON.parse(decoder.decode(bytes)) as Json;
	} catch {
		return undefined;
	}
}

/** The JSON text, or undefined for a tree too deep for the recursive JSON.stringify. */
function stringify(value: Json): Uint8Array | undefined {
	try {
		return text.encode(JSON.stringify(value));
	} catch {
		return undefined;
	}
}

function jsonMutator(id: string, change: (root: Json, rng: Rng) => Json): Mutator {
	return {
		id,
		kinds: ['tfjs'],
		mutate(bytes, rng) {
			const root = parse(bytes);
			if (root === undefined) return bytes.slice();
			let changed: Json;
			try {
				changed = change(root, rng);
			} catch (err) {
				// structuredClone recurses: a tree an earlier 'json-deep' nested 20,000 deep overflows the stack
				// (seed 4 case 2750 killed the fuzz worker). Such a tree goes on as it was.
				if (err instanceof RangeError) return bytes.slice();
				throw err;
			}
			return stringify(changed) ?? bytes.slice();
		}
	};
}

export const jsonMutators: readonly Mutator[] = [
	jsonMutator('json-value', (root, rng) => {
		const all = slots(root);
		if (!all.length) return root;
		const [container, key] = rng.pick(all);
		(container as Record<string | number, Json>)[key] = structuredClone(rng.pick(HOSTILE_VALUES));
		return root;
	}),
	jsonMutator('json-drop', (root, rng) => {
		const all = slots(root);
		if (!all.length) return root;
		const [container, key] = rng.pick(all);
		if (Array.isArray(container)) container.splice(Number(key), 1);
		else delete container[key];
		return root;
	}),
	jsonMutator('json-duplicate', (root, rng) => {
		const arrays = slots(root).filter(([c]) => Array.isArray(c));
		if (!arrays.length) return root;
		const [container, key] = rng.pick(arrays);
		(container as Json[]).splice(Number(key), 0, structuredClone((container as Json[])[Number(key)]));
		return root;
	}),
	{
		// Prototype keys only survive as text: JSON.parse makes "__proto__" an own property.
		id: 'json-proto-keys',
		kinds: ['tfjs'],
		mutate: (bytes) => text.encode(decoder.decode(bytes).replace(/\{/g, '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},'))
	},
	{
		// Built as text: JSON.stringify recurses, and would overflow on the very nesting we want.
		id: 'json-deep',
		kinds: ['tfjs'],
		mutate(bytes, rng) {
			const root = parse(bytes);
			const all = root === undefined ? [] : slots(root);
			if (!all.length) return bytes.slice();
			const [container, key] = rng.pick(all);
			const inner = stringify((container as Record<string | number, Json>)[key] ?? null);
			(container as Record<string | number, Json>)[key] = '\u0000deep\u0000';
			const outer = stringify(root ?? null);
			if (!inner || !outer) return bytes.slice();
			const depth = rng.pick([100, 2000, 20_000]);
			const [open, close] = rng.chance(0.5) ? ['[', ']'] : ['{"config":', '}'];
			return text.encode(decoder.decode(outer).replace('"\\u0000deep\\u0000"', open.repeat(depth) + decoder.decode(inner) + close.repeat(depth)));
		}
	}
];
