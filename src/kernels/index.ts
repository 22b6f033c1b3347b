import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { onBackendReady } from '../backend.js';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter.js';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum.js';

/** The backward-pass kernels that tfjs-backend-wasm 4.22 lacks, implemented here. */
export const wasmGradientKernels: readonly KernelConfig[] = [conv2DBackpropFilterConfig, unsortedSegmentSumConfig];

/** Registers the missing wasm gradient kernels; idempotent, and never replaces a kernel wasm already has. */
export function registerWasmGradientKernels(): void {
  for (const config of wasmGradientKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') == null) tf.registerKernel(config);
  }
}

registerWasmGradientKernels();
onBackendReady(() => registerWasmGradientKernels());
