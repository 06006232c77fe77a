/** Test support shared by the test suites: conformance corpus access, ORT in Node, output comparison. */
export { runOnnx } from './ort-node';
export { compareOutputs, type CompareOptions } from './compare';
export { conformanceDir, readManifest, readConformanceCase, type ConformanceCase, type ConformanceEntry } from './conformance';
export { readTensorProto, type NamedTensor } from './tensor-proto';
export type { TensorMap, TensorValue } from './tensor-value';
