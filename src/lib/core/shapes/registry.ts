import { controlOps } from './control';
import { convOps } from './conv';
import { elementwiseOps, unaryOps } from './elementwise';
import { matmulOps } from './matmul';
import { quantizeOps } from './quantize';
import { reduceOps } from './reduce';
import { reshapeOps } from './reshape';
import { resizeOps } from './resize';
import { rnnOps } from './rnn';
import { tensorOps } from './tensor-ops';
import type { OpInfer } from './types';

/** Shape inference of every operator we know, by ONNX op type (default domain). */
const OPS: Record<string, OpInfer> = {
	...elementwiseOps,
	...unaryOps,
	...convOps,
	...matmulOps,
	...reshapeOps,
	...tensorOps,
	...reduceOps,
	...resizeOps,
	...rnnOps,
	...quantizeOps,
	...controlOps
};

/** onnxruntime contrib ops (domain com.microsoft) that Tightfit's own transforms emit. */
const CONTRIB_OPS: Record<string, OpInfer> = {
	// FusedConv: Conv's inputs and attributes plus `activation`, which keeps the output's shape.
	FusedConv: convOps.Conv
};

/** The inference for an op, or undefined when we do not know it (or it is in another domain). */
export function opInference(opType: string, domain: string): OpInfer | undefined {
	if (domain === 'com.microsoft') return Object.hasOwn(CONTRIB_OPS, opType) ? CONTRIB_OPS[opType] : undefined;
	if (domain !== '' && domain !== 'ai.onnx') return undefined;
	return Object.hasOwn(OPS, opType) ? OPS[opType] : undefined;
}

/** Op types shape inference covers, sorted. */
export function supportedOps(): string[] {
	return Object.keys(OPS).sort();
}
