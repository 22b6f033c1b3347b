// The one interface the parallel interpreter needs from a host's threads (Node worker_threads, or Web Workers): its
// two twins are worker_threads.node.ts and worker_threads.browser.ts, picked by package.json `imports` ("#host/*").

/** A message channel's end: post (moving the transferred buffers), listen, poll, and keep the process alive or not. */
export interface ThreadPort {
  /** post(message, transfer): send; the buffers in `transfer` move (no copy). */
  readonly post: (message: unknown, transfer?: readonly ArrayBuffer[]) => void;
  /** onMessage(listener): call `listener` with every message that arrives by event. */
  readonly onMessage: (listener: (message: unknown) => void) => void;
  /** poll(): take one waiting message without sleeping (Node's receiveMessageOnPort); always undefined where a host cannot (a browser). */
  readonly poll: () => { readonly message: unknown } | undefined;
  /** ref() / unref(): whether a listener on this port keeps Node's process alive (no-ops in a browser). */
  readonly ref: () => void;
  readonly unref: () => void;
  readonly close: () => void;
}

/**
 * How a page starts its workers (the `workerScript` option of `parallel`): the URL of optimix's browser worker (as a
 * `URL` or a string), or a function that returns a started module `Worker` running it. Under Node: a file URL or path
 * of a worker_threads entry (optimix's own by default).
 */
export type WorkerScript = URL | string | (() => unknown);

/** A started thread: the request channel, its first message on the thread's own channel, its failures, and an end. */
export interface Thread {
  /** The request and reply channel. */
  readonly port: ThreadPort;
  /** What runs in it, for error messages (a URL, or a path). */
  readonly script: string;
  /** What to tell a user whose worker did not start ('' under Node, where optimix finds its own worker). */
  readonly startHint: string;
  /** onceMessage(listener): the thread's first message on its own channel (ready, or why it could not start). */
  readonly onceMessage: (listener: (message: unknown) => void) => void;
  /** onError(listener): an uncaught error in the thread, or (in a browser) a script that could not be loaded. */
  readonly onError: (listener: (error: Error) => void) => void;
  /** onExit(listener): the thread ended (Node only: a browser worker reports no exit). */
  readonly onExit: (listener: (code: number) => void) => void;
  readonly terminate: () => Promise<void>;
}

/** What a thread is started with: the data it reads first (the port is added by the host) and, optionally, its script. */
export interface SpawnOptions {
  readonly init: object;
  /** The script (default: optimix's worker for this host). */
  readonly script: WorkerScript | undefined;
  /** Node: how to run a worker entry (optimix's own, or `entry`) for this model — the file, or a tsx loader module first. */
  readonly nodeSource: (entry?: string | URL) => { readonly code: string | URL; readonly eval: boolean };
}

/** The worker's side: its init data, its request port, and the thread's own channel to the parent. */
export interface ThreadSide {
  readonly init: Readonly<Record<string, unknown>>;
  readonly port: ThreadPort;
  readonly toParent: (message: unknown) => void;
}
