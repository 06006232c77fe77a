/**
 * Notices the decoder hands back: short plain-text sentences for a non-blocking banner. They name fields by
 * their schema path (our own strings) and never echo the link's raw text, so a hostile link cannot put
 * words or markup on the page through them. Render them as text, never as HTML.
 */

/** At most this many notices are kept; further ones collapse into a final "…and N more" line. */
export const MAX_NOTICES = 8;

export type FieldProblem = 'invalid' | 'adjusted';

export class Notices {
	readonly #list: string[] = [];
	#dropped = 0;

	add(message: string): void {
		if (this.#list.length < MAX_NOTICES) this.#list.push(message);
		else this.#dropped++;
	}

	/** A field fell back to its default (`invalid`) or was clamped into range (`adjusted`). */
	field(path: string, problem: FieldProblem): void {
		this.add(
			problem === 'invalid'
				? `The link's value for "${path}" was not valid; using the default instead.`
				: `The link's value for "${path}" was out of range; it was adjusted to the nearest allowed value.`
		);
	}

	toArray(): string[] {
		return this.#dropped > 0 ? [...this.#list, `…and ${this.#dropped} more problems with this link.`] : [...this.#list];
	}
}

/** Whole-link problems, each ending with what the page did about it. */
export const LINK_NOTICES = {
	tooLong: 'This link is too long to be a Tightfit scenario; showing the default scenario.',
	notScenario: 'This link does not hold a readable scenario; showing the default scenario.',
	newerVersion:
		'This link was made by a newer version of Tightfit than this page; showing the default scenario.',
	unknownVersion: 'This link uses an unknown scenario format version; showing the default scenario.',
	badEncoding: 'This link looks damaged (its scenario text is not valid); showing the default scenario.',
	tooLarge: 'This link expands to more data than a scenario can hold; showing the default scenario.',
	noDecompression:
		'This browser cannot decompress scenario links (no DecompressionStream); showing the default scenario.',
	badJson: 'This link looks damaged (its scenario data is not readable); showing the default scenario.',
	migrationFailed: 'This link could not be upgraded to the current scenario format; showing the default scenario.'
} as const;
