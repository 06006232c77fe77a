/**
 * Uploaded models in a workload. The scenario names a workload's models by id (IdSchema); an upload is
 * `upload:<first 32 hex digits of its sha256>` — 128 bits, enough to tell files apart, short enough for a
 * link. The bytes never travel in the link: the page finds them in the loaded model or in the browser's
 * upload store (IndexedDB), and a link naming an upload this browser lacks simulates the rest with a notice.
 */

export const UPLOAD_ID_PREFIX = 'upload:';
const UPLOAD_ID = /^upload:([0-9a-f]{32})$/;

/** An upload this browser has: the loaded model, or one kept in the upload store. */
export interface UploadCandidate {
	sha256: string;
	name: string;
}

/** The workload id of an upload with this (lower-case hex) sha256. */
export function uploadWorkloadId(sha256: string): string {
	return `${UPLOAD_ID_PREFIX}${sha256.slice(0, 32)}`;
}

export function isUploadId(id: string): boolean {
	return id.startsWith(UPLOAD_ID_PREFIX);
}

/**
 * Which of `ids` name an upload found in `available` (by sha256 prefix) and which name one this browser does
 * not have (including a malformed `upload:` id). Zoo ids are left alone.
 */
export function resolveUploads(ids: readonly string[], available: readonly UploadCandidate[]): { found: Map<string, UploadCandidate>; missing: string[] } {
	const found = new Map<string, UploadCandidate>();
	const missing: string[] = [];
	for (const id of ids) {
		if (!isUploadId(id) || found.has(id) || missing.includes(id)) continue;
		const prefix = UPLOAD_ID.exec(id)?.[1];
		const match = prefix ? available.find((u) => u.sha256.toLowerCase().startsWith(prefix)) : undefined;
		if (match) found.set(id, match);
		else missing.push(id);
	}
	return { found, missing };
}

/** The notice for uploads a workload names that this browser does not have. */
export function missingUploadsMessage(missing: readonly string[], simulated: readonly string[]): string {
	const which = missing.map((id) => `“${id}”`).join(', ');
	const one = missing.length === 1;
	const rest = simulated.length ? `The workload is simulated without ${one ? 'it' : 'them'}: ${simulated.join(' → ')}.` : 'No other model is left to simulate.';
	return `This workload names ${one ? 'an uploaded model' : 'uploaded models'} this browser does not have: ${which}. Drop the same file${one ? '' : 's'} in “The model and its budget” to bring ${one ? 'it' : 'them'} back, or remove ${one ? 'it' : 'them'} from the workload. ${rest}`;
}

/** Uploads by label for legends and chips: “name (upload)”; zoo ids stay as they are. */
export function modelLabel(id: string, found: ReadonlyMap<string, UploadCandidate>): string {
	const u = found.get(id);
	return u ? `${u.name} (upload)` : id;
}
