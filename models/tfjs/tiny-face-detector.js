/**
 * The tiny face detector of @vladmandic/face-api as a TF.js graph model (model.json + shards).
 *
 * face-api ships only the weights (tiny_face_detector_model-weights_manifest.json + .bin, uint8
 * quantized) and builds the network in code (src/tinyYolov2/TinyYolov2Base.ts `runMobilenet` with
 * the TinyFaceDetector config: withSeparableConvs, isFirstLayerConv2d, filterSizes
 * [3, 16, 32, 64, 128, 256, 512], meanRgb [117.001, 114.697, 97.404]). This file writes that same
 * architecture as a GraphDef whose Const nodes are named after face-api's weights, so the shipped
 * .bin is used unchanged; a second small shard holds the constants face-api has in code.
 *
 *   image (pixels 0–255, 416×416×3) − meanRgb, ÷ 255
 *   conv0: 3×3 conv, VALID, + bias, leaky 0.1                        → 414×414×16
 *   maxpool 2×2/2 SAME                                               → 207
 *   conv1…conv5: pad 1, depthwise 3×3 VALID, pointwise 1×1, + bias, leaky 0.1,
 *                each followed by maxpool 2×2/2 SAME (conv5: stride 1) → 104, 52, 26, 13, 13
 *   conv8: 1×1 conv + bias → 13×13×25 (5 anchors × [x, y, w, h, score])
 *
 * face-api's leaky is relu(x − 0.1x) + 0.1x, which is LeakyRelu with alpha 0.1.
 * Plain ESM with built-ins only: scripts/tfjs-sync.js runs it during `npm install`.
 */

export const FACE_API_MODEL_DIR = 'node_modules/@vladmandic/face-api/model';
export const WEIGHTS_MANIFEST = 'tiny_face_detector_model-weights_manifest.json';
export const WEIGHTS_BIN = 'tiny_face_detector_model.bin';
export const CONSTS_BIN = 'tiny_face_detector_consts.bin';
export const INPUT_SIZE = 416;
export const MEAN_RGB = [117.001, 114.697, 97.404];

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const ints = (v) => ({ list: { i: v.map(String) } });
const T = { T: { type: 'DT_FLOAT' } };
const nhwc = { data_format: { s: b64('NHWC') } };
const conv = (padding) => ({ ...T, ...nhwc, strides: ints([1, 1, 1, 1]), dilations: ints([1, 1, 1, 1]), padding: { s: b64(padding) } });
const pool = (stride) => ({ ...T, ...nhwc, ksize: ints([1, 2, 2, 1]), strides: ints([1, stride, stride, 1]), padding: { s: b64('SAME') } });

/** The constants face-api keeps in code, as [spec, little-endian bytes]. */
function codeConstants() {
	const f32 = (values) => Buffer.from(Float32Array.from(values).buffer);
	const i32 = (values) => Buffer.from(Int32Array.from(values).buffer);
	return [
		[{ name: 'mean_rgb', shape: [3], dtype: 'float32' }, f32(MEAN_RGB)],
		[{ name: 'pixel_scale', shape: [], dtype: 'float32' }, f32([255])],
		[{ name: 'pad_1', shape: [4, 2], dtype: 'int32' }, i32([0, 0, 1, 1, 1, 1, 0, 0])]
	];
}

/**
 * model.json (an object) and the constants shard for face-api's weights manifest.
 * @param {{ paths: string[], weights: { name: string, shape: number[], dtype: string }[] }[]} faceApiManifest
 * @returns {{ modelJson: object, constsBin: Buffer }}
 */
export function tinyFaceDetectorGraph(faceApiManifest) {
	const nodes = [];
	const node = (name, op, input, attr = T) => (nodes.push({ name, op, input, attr }), name);
	const consts = codeConstants();
	const weights = faceApiManifest.flatMap((g) => g.weights);
	for (const w of [...weights, ...consts.map(([spec]) => spec)]) {
		const dtype = w.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT';
		nodes.push({ name: w.name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: { dim: w.shape.map((size) => ({ size: String(size) })) } } } } });
	}
	nodes.push({ name: 'image', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [-1, INPUT_SIZE, INPUT_SIZE, 3].map((size) => ({ size: String(size) })) } } } });
	const leaky = (name, x) => node(`${name}/leaky`, 'LeakyRelu', [x], { ...T, alpha: { f: 0.1 } });
	let x = node('normalized', 'Sub', ['image', 'mean_rgb']);
	x = node('scaled', 'RealDiv', [x, 'pixel_scale']);
	x = node('conv0/conv', 'Conv2D', [x, 'conv0/filters'], conv('VALID'));
	x = leaky('conv0', node('conv0/add', 'BiasAdd', [x, 'conv0/bias'], { ...T, ...nhwc }));
	x = node('pool0', 'MaxPool', [x], pool(2));
	for (let k = 1; k <= 5; k++) {
		x = node(`conv${k}/pad`, 'Pad', [x, 'pad_1'], { ...T, Tpaddings: { type: 'DT_INT32' } });
		x = node(`conv${k}/depthwise`, 'DepthwiseConv2dNative', [x, `conv${k}/depthwise_filter`], conv('VALID'));
		x = node(`conv${k}/pointwise`, 'Conv2D', [x, `conv${k}/pointwise_filter`], conv('VALID'));
		x = leaky(`conv${k}`, node(`conv${k}/add`, 'BiasAdd', [x, `conv${k}/bias`], { ...T, ...nhwc }));
		x = node(`pool${k}`, 'MaxPool', [x], pool(k === 5 ? 1 : 2));
	}
	x = node('conv8/conv', 'Conv2D', [x, 'conv8/filters'], conv('VALID'));
	x = node('conv8/add', 'BiasAdd', [x, 'conv8/bias'], { ...T, ...nhwc });
	node('boxes', 'Identity', [x]);
	const modelJson = {
		format: 'graph-model',
		generatedBy: 'tightfit models/tfjs/tiny-face-detector.js',
		convertedBy: 'architecture from @vladmandic/face-api TinyFaceDetector, weights unchanged',
		modelTopology: { node: nodes, library: {}, versions: { producer: 1 } },
		weightsManifest: [
			{ paths: faceApiManifest.flatMap((g) => g.paths), weights },
			{ paths: [CONSTS_BIN], weights: consts.map(([spec]) => spec) }
		],
		userDefinedMetadata: { source: '@vladmandic/face-api (MIT)', inputSize: INPUT_SIZE, anchors: 5, boxEncoding: 'x, y, w, h, score' }
	};
	return { modelJson, constsBin: Buffer.concat(consts.map(([, bytes]) => bytes)) };
}

/**
 * The files this script generates for the zoo entry (scripts/tfjs-sync.js calls it with the face-api
 * package folder): model.json and the constants shard, by name. face-api's own shard is copied as is.
 * @param {string} packageDir
 * @param {(path: string) => Buffer} read
 * @returns {Record<string, Buffer>}
 */
export function generate(packageDir, read) {
	const manifest = JSON.parse(read(`${packageDir}/model/${WEIGHTS_MANIFEST}`).toString('utf8'));
	const { modelJson, constsBin } = tinyFaceDetectorGraph(manifest);
	return { 'model.json': Buffer.from(JSON.stringify(modelJson), 'utf8'), [CONSTS_BIN]: constsBin };
}
