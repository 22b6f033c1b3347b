// The parallel interpreter runs on Node worker threads: in a browser each entry point throws NotInBrowserError.
import type * as Node from './worker_threads.node.js';
import { NotInBrowserError } from './notInBrowser.js';

function fail(): never {
  throw new NotInBrowserError('the parallel interpreter (parallel(), train({ workers }))', 'it runs on Node worker threads; use the sequential interpreter (the default)');
}

/** Worker: constructing one throws NotInBrowserError. */
export const Worker = fail as unknown as typeof Node.Worker;
/** MessageChannel: constructing one throws NotInBrowserError. */
export const MessageChannel = fail as unknown as typeof Node.MessageChannel;
/** receiveMessageOnPort: throws NotInBrowserError. */
export const receiveMessageOnPort = fail as unknown as typeof Node.receiveMessageOnPort;
/** A message port (the type only). */
export type MessagePort = Node.MessagePort;
