/** A cheap check, without decoding, of whether bytes are probably an ONNX ModelProto. */
import { describeFileKind } from '../sniff';

/**
 * `true` when the first byte is the ir_version tag (field 1, varint: 0x08) followed by a small
 * version, as every exporter writes it, whatever the file is called; `'maybe'` for an `.onnx` name
 * whose bytes do not start that way (a ModelProto may order its fields differently); `false` when
 * the bytes are a known other kind of file.
 */
export function matchOnnx(bytes: Uint8Array, fileName = ''): boolean | 'maybe' {
	const byName = /\.onnx$/i.test(fileName);
	if (bytes.length >= 2 && bytes[0] === 0x08 && bytes[1] >= 1 && bytes[1] <= 0x7f) return true;
	if (describeFileKind(bytes)) return false;
	return byName ? 'maybe' : false;
}
