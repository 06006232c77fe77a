/** An error the CLI reports as one `tightfit: <message>` line, with its exit status. */
export class CliError extends Error {
	/** 2: the command line is wrong (usage); 1: the input is bad (missing or unreadable file). */
	readonly exitCode: 1 | 2;
	constructor(message: string, exitCode: 1 | 2) {
		super(message);
		this.name = 'CliError';
		this.exitCode = exitCode;
	}
}

export const usageError = (message: string) => new CliError(message, 2);
export const inputError = (message: string) => new CliError(message, 1);
