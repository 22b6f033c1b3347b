// Final weights of a run, cached next to its record so that flatness measures can be (re)computed without retraining.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import type { Tree } from '../../src/index.js';

interface ParamsJson {
  readonly shapes: Readonly<Record<string, readonly number[]>>;
  /** Every leaf's float32 values, in the order of `shapes`, as base64 of their little-endian bytes. */
  readonly data: string;
}

/** paramsToJson(params): the leaves' shapes and values (float32, base64) as a JSON string. */
export function paramsToJson(params: Tree): string {
  const names = Object.keys(params);
  const shapes: Record<string, number[]> = {};
  const chunks: Buffer[] = [];
  for (const n of names) {
    const t = params[n] as tf.Tensor;
    shapes[n] = [...t.shape];
    const v = t.dataSync() as Float32Array;
    chunks.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  }
  return JSON.stringify({ shapes, data: Buffer.concat(chunks).toString('base64') } satisfies ParamsJson);
}

/** readParams(path): the tree written by paramsToJson, as new tensors the caller disposes. */
export function readParams(path: string): Tree {
  const j = JSON.parse(readFileSync(path, 'utf8')) as ParamsJson;
  const bytes = Buffer.from(j.data, 'base64');
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: Record<string, tf.Tensor> = {};
  let at = 0;
  for (const [n, shape] of Object.entries(j.shapes)) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (at + size > all.length) throw new Error(`readParams ${path}: leaf '${n}' runs past the ${all.length} stored values`);
    out[n] = tf.tensor(all.slice(at, at + size), [...shape], 'float32');
    at += size;
  }
  if (at !== all.length) throw new Error(`readParams ${path}: ${all.length - at} stored values left over`);
  return out;
}
