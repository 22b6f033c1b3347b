import { checkKeys } from '../validate.js';

/** The keys every stream-driven law takes (ParamsAndGradsOptions and `apply`). */
export const STREAM_KEYS = ['tree', 'length', 'grads', 'stream', 'apply'] as const;

/** lawOptions(where, options, keys): refuse an unknown option key of a law, naming the closest known one. */
export function lawOptions(where: string, options: unknown, keys: readonly string[]): void {
  checkKeys(where, options, keys);
}
