/**
 * `tightfit <command> …`: the headless face of the core. Commands live in a table; later issues add
 * `optimize` and `simulate` as entries here. Errors are one `tightfit: <message>` line on stderr;
 * exit 2 for a wrong command line, 1 for bad input.
 */
import { analyzeCommand } from './analyze';
import { tileCliCommand } from './commands/tile';
import { simulateCommand } from './commands/simulate-model';
import { optimizeCommand } from './commands/optimize';
import type { CliIO, Command } from './command';
import { CliError } from './errors';

export const COMMANDS: readonly Command[] = [analyzeCommand, simulateCommand, optimizeCommand, tileCliCommand];

function help(): string {
	const width = Math.max(...COMMANDS.map((c) => c.name.length));
	return [
		'usage: tightfit <command> [options]',
		'',
		'commands:',
		...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
		'',
		"'tightfit <command> --help' shows a command's options."
	].join('\n');
}

function commandHelp(c: Command): string {
	return [`usage: ${c.usage}`, '', c.summary, '', ...c.details].join('\n');
}

const processIO: CliIO = {
	stdout: (text) => process.stdout.write(text + '\n'),
	stderr: (text) => process.stderr.write(text + '\n')
};

/** Runs the CLI on `argv` (without node and the script); resolves to the exit status. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
	const [name, ...rest] = argv;
	try {
		if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
			(name === undefined ? io.stderr : io.stdout)(help());
			return name === undefined ? 2 : 0;
		}
		const command = COMMANDS.find((c) => c.name === name);
		if (!command) throw new CliError(`unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see tightfit --help)`, 2);
		if (rest.includes('--help') || rest.includes('-h')) {
			io.stdout(commandHelp(command));
			return 0;
		}
		return await command.run(rest, io);
	} catch (e) {
		if (e instanceof CliError) {
			io.stderr(`tightfit: ${e.message.replace(/\s*\n\s*/g, ' ')}`);
			return e.exitCode;
		}
		io.stderr(`tightfit: internal error: ${e instanceof Error ? e.message.replace(/\s*\n\s*/g, ' ') : String(e)}`);
		return 1;
	}
}
