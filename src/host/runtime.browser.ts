// The host in a browser (or any non-Node runtime): no environment, no module hooks, no process handlers.
import type * as Node from './runtime.node.js';

/** envVar(name): always undefined (a page has no environment variables). */
export const envVar: typeof Node.envVar = () => undefined;

/** cpuCount(): `navigator.hardwareConcurrency`, else 1. */
export const cpuCount: typeof Node.cpuCount = () => (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;

/** registerTfjsResolveHook(): nothing to do (a bundler resolves tfjs-core's gradient modules). */
export const registerTfjsResolveHook: typeof Node.registerTfjsResolveHook = () => undefined;

/** processHandlerGuard(): nothing to guard (no process). */
export const processHandlerGuard: typeof Node.processHandlerGuard = () => () => undefined;
