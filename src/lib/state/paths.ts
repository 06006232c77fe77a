/** Absolute URLs of files the app serves from static/, wherever the site is hosted (base path aware). */
import { resolve } from '$app/paths';

export function appUrl(path: string): string {
	const root = new URL(resolve('/'), location.href);
	return new URL(path.replace(/^\/+/, ''), root).href;
}

export const manifestUrl = () => appUrl('models/manifest.json');
export const zooModelUrl = (id: string) => appUrl(`models/${encodeURIComponent(id)}.onnx`);
/** Where scripts/zoo-sync.js puts onnxruntime-web's .mjs/.wasm files. */
export const ortWasmPaths = () => appUrl('ort/');
