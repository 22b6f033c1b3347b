// The host in a browser (or any non-Node runtime): no environment, no process handlers.
import type * as Node from './runtime.node.js';

/** envVar(name): always undefined (a page has no environment variables). */
export const envVar: typeof Node.envVar = () => undefined;

/** cpuCount(): `navigator.hardwareConcurrency`, else 1. */
export const cpuCount: typeof Node.cpuCount = () => (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;

/** processHandlerGuard(): nothing to guard (no process). */
export const processHandlerGuard: typeof Node.processHandlerGuard = () => () => undefined;
