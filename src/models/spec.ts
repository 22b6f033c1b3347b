import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../model.js';
import { foldName, type Key } from '../random.js';
import type { Params } from '../tree.js';
import { normalTensor } from '../normalTensor.js';

/** Options of `mlp`: flatten → (dense + relu) per hidden width → dense. */
export interface MlpOptions {
  /** Shape of one example, default `[28, 28, 1]`. */
  readonly inputShape?: readonly number[];
  /** Hidden layer widths, default `[128]`. */
  readonly hidden?: readonly number[];
  /** Number of classes, default `10`. */
  readonly classes?: number;
}

/** Options of `smallCnn`: (conv 3×3 'same' + bias → relu → maxPool 2×2/2) per channel count → flatten → dense. */
export interface SmallCnnOptions {
  /** Shape of one example `[h, w, c]`, default `[28, 28, 1]`. */
  readonly inputShape?: readonly number[];
  /** Output channels of each conv stage, default `[16, 32]`. */
  readonly channels?: readonly number[];
  /** Number of classes, default `10`. */
  readonly classes?: number;
}

/** Options of `resnetSmall`: stem conv → residual blocks (stride-2 conv between blocks) → global average pool → dense. */
export interface ResnetSmallOptions {
  /** Shape of one example `[h, w, c]`, default `[28, 28, 1]`. */
  readonly inputShape?: readonly number[];
  /** Channels of the stem and of every block, default `16`. */
  readonly width?: number;
  /** Number of residual blocks, default `2`. */
  readonly blocks?: number;
  /** Number of classes, default `10`. */
  readonly classes?: number;
  /** Halve the spatial size with a stride-2 conv (`down{i}`) between consecutive blocks, default `true`. */
  readonly downsample?: boolean;
}

/** The names of the zoo's model kinds. */
export type ModelKind = 'mlp' | 'smallCnn' | 'resnetSmall';

/** A serializable (plain JSON) description of a zoo model: its kind and options; `modelFromSpec(spec)` rebuilds it. */
export type ModelSpec =
  | {
      /** A multilayer perceptron. */
      readonly kind: 'mlp';
      /** Its options. */
      readonly options: MlpOptions;
    }
  | {
      /** A small convolutional net. */
      readonly kind: 'smallCnn';
      /** Its options. */
      readonly options: SmallCnnOptions;
    }
  | {
      /** A small residual net. */
      readonly kind: 'resnetSmall';
      /** Its options. */
      readonly options: ResnetSmallOptions;
    };

/** A zoo model: a `Model` that also carries its spec (with every default filled in), so a worker can rebuild it. */
export interface ZooModel extends Model {
  /** How to rebuild this model (every default filled in): `modelFromSpec(model.spec)`. */
  readonly spec: ModelSpec;
}

/** How a parameter is initialized: He-normal N(0, 2/fanIn), zeros (biases, shifts) or ones (scales). */
export type ParamInit =
  | {
      /** He-normal: N(0, 2/fanIn). */
      readonly kind: 'heNormal';
      /** The number of inputs of each output unit. */
      readonly fanIn: number;
    }
  | {
      /** All zeros (biases, shifts). */
      readonly kind: 'zeros';
    }
  | {
      /** All ones (scales). */
      readonly kind: 'ones';
    };

/** One parameter of a model: its name, shape and initializer. A model's layout is an ordered list of these. */
export interface ParamSpec {
  /** The parameter's name in the params tree, e.g. `hidden1/kernel`. */
  readonly name: string;
  /** Its shape. */
  readonly shape: readonly number[];
  /** How it is initialized. */
  readonly init: ParamInit;
}

/** heNormal(k, name, shape, fanIn): N(0, 2/fanIn) samples from the Philox key `foldName(k, name)` (normalTensor), so they depend only on k and name. */
export function heNormal(k: Key, name: string, shape: readonly number[], fanIn: number): tf.Tensor {
  return normalTensor(foldName(k, name), shape, Math.sqrt(2 / fanIn));
}

/** initParams(k, layout): fresh parameters in layout order (He-normal kernels, zero biases/shifts, unit scales). */
export function initParams(k: Key, layout: readonly ParamSpec[]): Params {
  const out: Record<string, tf.Tensor> = {};
  for (const p of layout) {
    if (p.name in out) throw new Error(`duplicate parameter name '${p.name}'`);
    const shape = [...p.shape];
    out[p.name] =
      p.init.kind === 'heNormal'
        ? heNormal(k, p.name, shape, p.init.fanIn)
        : p.init.kind === 'zeros'
          ? tf.zeros(shape, 'float32')
          : tf.ones(shape, 'float32');
  }
  return out;
}

/** param(params, name): the tensor under name, with a clear error naming the model when absent. */
export function param(params: Params, name: string, model: string): tf.Tensor {
  const t = params[name];
  if (t === undefined) throw new Error(`${model}: missing parameter '${name}'`);
  return t;
}

/** positiveInt(value, what): value if it is a positive integer, else a RangeError. */
export function positiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a positive integer, got ${String(value)}`);
  return value;
}

/** positiveInts(values, what): a frozen copy of a list of positive integers (validated). */
export function positiveInts(values: readonly number[], what: string, minLength = 0): readonly number[] {
  if (!Array.isArray(values) || values.length < minLength) {
    throw new RangeError(`${what} must be an array of at least ${minLength} positive integers, got ${JSON.stringify(values)}`);
  }
  return Object.freeze(values.map((v, i) => positiveInt(v, `${what}[${i}]`)));
}

/** checkInput(x, inputShape, model): throws unless x is `[n, ...inputShape]`. */
export function checkInput(x: tf.Tensor, inputShape: readonly number[], model: string): void {
  const got = x.shape.slice(1);
  if (got.length !== inputShape.length || got.some((d, i) => d !== inputShape[i])) {
    throw new Error(`${model}: expected input of shape [n, ${inputShape.join(', ')}], got [${x.shape.join(', ')}]`);
  }
}

/** batchXY(batch, model): the `x` and `y` tensors of a batch, with a clear error when absent. */
export function batchXY(batch: Readonly<Record<string, tf.Tensor>>, model: string): { x: tf.Tensor; y: tf.Tensor } {
  const x = batch['x'];
  const y = batch['y'];
  if (x === undefined || y === undefined) throw new Error(`${model}: a batch needs tensors 'x' and 'y' (one-hot)`);
  return { x, y };
}

/** denseFlops(in, out) = 2·in·out (multiply-adds) + out (bias adds), per example. */
export function denseFlops(inputs: number, outputs: number): number {
  return 2 * inputs * outputs + outputs;
}

/** convFlops(ho, wo, k, cin, cout, bias) = 2·ho·wo·k²·cin·cout (multiply-adds) [+ ho·wo·cout bias adds], per example. */
export function convFlops(ho: number, wo: number, k: number, cin: number, cout: number, bias: boolean): number {
  return 2 * ho * wo * k * k * cin * cout + (bias ? ho * wo * cout : 0);
}

/** sameOut(size, stride) = ⌈size / stride⌉: the output size of a 'same'-padded conv or pool. */
export function sameOut(size: number, stride: number): number {
  return Math.ceil(size / stride);
}

/** imageShape(inputShape, model): `[h, w, c]` from an input shape, or a RangeError if it is not rank 3. */
export function imageShape(inputShape: readonly number[], model: string): readonly [number, number, number] {
  const [h, w, c] = inputShape;
  if (inputShape.length !== 3 || h === undefined || w === undefined || c === undefined) {
    throw new RangeError(`${model}: inputShape must be [h, w, c], got ${JSON.stringify(inputShape)}`);
  }
  return [h, w, c];
}
