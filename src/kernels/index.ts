import * as tf from '@tensorflow/tfjs-core';
import { Conv2DBackpropInput, MaxPoolGrad, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { onBackendReady } from '../backend.js';
import { conv2DBackpropFilterConfig } from './conv2DBackpropFilter.js';
import { makeConv2DBackpropInput } from './conv2DBackpropInput.js';
import { makeMaxPoolGrad } from './maxPoolGrad.js';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum.js';
import { checkKeys } from '../validate.js';
import { envVar } from '#host/runtime';

/** The backward-pass kernels that tfjs-backend-wasm 4.22 lacks, implemented here. */
export const wasmGradientKernels: readonly KernelConfig[] = [conv2DBackpropFilterConfig, unsortedSegmentSumConfig];

/**
 * Which of wasm's own backward kernels to replace with faster ones (each falls back to wasm's own for the cases it
 * does not handle). Both default to on; the environment variable `OPTIMIX_WASM_FAST_KERNELS=0` turns both off.
 */
export interface WasmKernelOptions {
  /** Conv2DBackpropInput as one forward conv2d of dy with the flipped filter (5–10× faster); default true. */
  readonly fastConvInput?: boolean;
  /** MaxPoolGrad of tiling pools (2×2 / 2) with whole-tensor ops (3–5× faster, cpu's tie rule); default true. */
  readonly fastMaxPoolGrad?: boolean;
}

const defaultOn = envVar('OPTIMIX_WASM_FAST_KERNELS') !== '0';
let settings: Required<WasmKernelOptions> = { fastConvInput: defaultOn, fastMaxPoolGrad: defaultOn };

/** The current replacement settings (passed to worker threads so that every thread computes alike). */
export function wasmKernelSettings(): Required<WasmKernelOptions> {
  return { ...settings };
}

// wasm's own kernels, captured before they are replaced. If this module is loaded twice (a second copy of optimix
// in one process), the registry already holds a replacement: take the original it carries.
const ORIGINAL = Symbol.for('optimix.wasmOriginalKernel');
type Tagged = KernelConfig & { [ORIGINAL]?: KernelConfig | undefined };
const originalOf = (name: string): KernelConfig | undefined => {
  const k = tf.getKernel(name, 'wasm') as Tagged | undefined;
  return k !== undefined && ORIGINAL in k ? k[ORIGINAL] : k;
};

/**
 * replacing(name, make, original): the wasm kernel config of a replacement — `make(fallback)` with wasm's own kernel
 * function as the fallback, wasm's own setup function kept — tagged with the original it replaces.
 */
const replacing = (kernelName: string, make: (fallback: KernelFunc | undefined) => KernelFunc, original: KernelConfig | undefined): Tagged => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: make(original?.kernelFunc),
  ...(original?.setupFunc === undefined ? {} : { setupFunc: original.setupFunc }),
  [ORIGINAL]: original,
});

const replacements: ReadonlyArray<{ readonly option: keyof WasmKernelOptions; readonly fast: KernelConfig; readonly original: KernelConfig | undefined }> = [
  { option: 'fastConvInput', name: Conv2DBackpropInput, make: makeConv2DBackpropInput },
  { option: 'fastMaxPoolGrad', name: MaxPoolGrad, make: makeMaxPoolGrad },
].map(({ option, name, make }) => {
  const original = originalOf(name);
  return { option: option as keyof WasmKernelOptions, fast: replacing(name, make, original), original };
});

/** The faster replacements of wasm's own Conv2DBackpropInput and MaxPoolGrad. */
export const wasmReplacementKernels: readonly KernelConfig[] = replacements.map((r) => r.fast);

/**
 * Registers the missing wasm gradient kernels (never replacing one wasm has) and — unless turned off in `options`
 * — the faster replacements of wasm's Conv2DBackpropInput and MaxPoolGrad. Options persist: a later call without
 * them (e.g. by `ready()`) keeps the choice. Idempotent.
 */
export function registerWasmGradientKernels(options: WasmKernelOptions = {}): void {
  checkKeys('registerWasmGradientKernels', options, ['fastConvInput', 'fastMaxPoolGrad']);
  settings = {
    fastConvInput: options.fastConvInput ?? settings.fastConvInput,
    fastMaxPoolGrad: options.fastMaxPoolGrad ?? settings.fastMaxPoolGrad,
  };
  for (const config of wasmGradientKernels) {
    if (tf.getKernel(config.kernelName, 'wasm') == null) tf.registerKernel(config);
  }
  for (const { option, fast, original } of replacements) {
    const wanted = settings[option] ? fast : original;
    const current = tf.getKernel(fast.kernelName, 'wasm');
    if (current?.kernelFunc === wanted?.kernelFunc) continue;
    if (current !== undefined) tf.unregisterKernel(fast.kernelName, 'wasm');
    if (wanted !== undefined) tf.registerKernel(wanted);
  }
}

registerWasmGradientKernels();
onBackendReady(() => registerWasmGradientKernels());
