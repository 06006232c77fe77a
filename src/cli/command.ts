/** Where a command writes; tests pass their own. */
export interface CliIO {
	stdout(text: string): void;
	stderr(text: string): void;
}

/** One `tightfit <name>` command. */
export interface Command {
	name: string;
	/** One line for the command list. */
	summary: string;
	usage: string;
	/** Option lines for `tightfit <name> --help`. */
	details: string[];
	/** Runs with the arguments after the command name; resolves to the exit status. */
	run(argv: string[], io: CliIO): Promise<number>;
}
