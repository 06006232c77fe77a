import { usageError } from './errors';

/** Parsed command-line options: flags and repeatable `--name value` / `--name=value` options. */
export interface ParsedArgs {
	positional: string[];
	flags: Set<string>;
	options: Map<string, string[]>;
}

/**
 * Splits argv into positionals, boolean flags (those in `booleans`) and valued options (those in
 * `valued`); anything else starting with `--` is a usage error.
 */
export function parseArgs(argv: string[], booleans: string[], valued: string[]): ParsedArgs {
	const out: ParsedArgs = { positional: [], flags: new Set(), options: new Map() };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--') || arg === '--') {
			out.positional.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		const name = arg.slice(2, eq < 0 ? undefined : eq);
		if (booleans.includes(name) && eq < 0) out.flags.add(name);
		else if (valued.includes(name)) {
			const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
			if (value === undefined) throw usageError(`--${name} needs a value`);
			out.options.set(name, [...(out.options.get(name) ?? []), value]);
		} else throw usageError(`unknown option --${name}`);
	}
	return out;
}

/**
 * Parses `name=value` pairs, comma-separated and/or repeated (`--dims a=1,b=2 --dims c=3`), into
 * non-negative integers. `what` names the option in error messages.
 */
export function parseAssignments(values: string[], what: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const part of values.flatMap((v) => v.split(','))) {
		const eq = part.lastIndexOf('=');
		const name = part.slice(0, eq).trim();
		const raw = part.slice(eq + 1).trim();
		if (eq <= 0 || !name || !/^-?\d+$/.test(raw)) throw usageError(`bad ${what} '${part}': expected name=integer`);
		const value = Number(raw);
		if (!Number.isSafeInteger(value)) throw usageError(`bad ${what} '${part}': ${raw} is too large`);
		out[name] = value;
	}
	return out;
}
