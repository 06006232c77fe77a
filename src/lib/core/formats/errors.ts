/**
 * The one error type importers throw for a file they cannot read. `code` lets the page and the CLI
 * react without parsing the message; the message tells a person what is wrong and what still works.
 */

/** Why a file could not be opened as a model. */
export type ModelFormatErrorCode = 'empty' | 'truncated' | 'not-onnx' | 'too-large' | 'invalid' | 'unsupported';

export class ModelFormatError extends Error {
	readonly code: ModelFormatErrorCode;
	readonly fileName?: string;

	constructor(code: ModelFormatErrorCode, message: string, fileName?: string) {
		super(message);
		this.name = 'ModelFormatError';
		this.code = code;
		this.fileName = fileName;
	}
}

/** What a failed load leaves intact, appended to every user-facing message. */
export const STILL_WORKS = 'Nothing was changed: the current model and settings are still loaded, and the built-in zoo models still work.';
