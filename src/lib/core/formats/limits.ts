/**
 * How big a model the page opens. The core's own limit (`MAX_MODEL_BYTES`, 2 GiB) is what ONNX
 * allows; the page's is lower because a browser tab holds the bytes more than once.
 */
import { ModelFormatError, STILL_WORKS } from './errors';

/**
 * Largest single model file the page reads, in bytes: 512 MiB. onnxruntime-web's wasm32 heap tops out
 * at 4 GiB; the page holds the file's bytes twice while it is analysed (its own copy, kept to run
 * the model, and the worker's), and a session copies the weights into that heap again and adds its
 * arena for activations (RESEARCH.md, "Browser runtimes"). 512 MiB leaves room for all of that.
 */
export const PAGE_MODEL_LIMIT_BYTES = 512 * 2 ** 20;

/** The reason a person reads when a file is refused for its size. */
export const PAGE_LIMIT_REASON =
	'a browser tab holds the bytes twice while they are analysed (the page keeps a copy to run the model, the worker parses another), and onnxruntime-web copies the weights again into its 32-bit WebAssembly heap, which ends at 4 GB together with the memory for activations';

/** A size as the page writes sizes elsewhere: GiB with two decimals from 1 GiB up, whole MiB below. */
function mib(bytes: number): string {
	return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/**
 * Refuses a file over PAGE_MODEL_LIMIT_BYTES before it is read (`File.size` is known up front).
 * @param byteLength the file's size in bytes.
 * @throws ModelFormatError ('too-large') naming the file, its size, the limit and why.
 */
export function checkPageModelSize(byteLength: number, fileName: string): void {
	if (byteLength > PAGE_MODEL_LIMIT_BYTES) {
		throw new ModelFormatError(
			'too-large',
			`'${fileName}' is ${mib(byteLength)}; this page opens models up to ${mib(PAGE_MODEL_LIMIT_BYTES)}, because ${PAGE_LIMIT_REASON}. The file was not read. Quantize it (int8 weights are a quarter of float32) or split it, or analyse it with the CLI, which has no such limit. ${STILL_WORKS}`,
			fileName
		);
	}
}
