/**
 * Checkpoints in the browser's IndexedDB, in the spirit of tfjs's `indexeddb://` handler: database 'optimix' (version 1) with
 * two object stores keyed by checkpoint name, 'manifests' (the manifest's JSON text) and 'weights' (an ArrayBuffer). A save
 * writes both in one readwrite transaction, so a reader sees the old checkpoint or the new one, never a mix.
 */
import { BrowserOnlyError } from '../host/browserOnly.js';
import { checkKeys } from '../validate.js';
import { serialized } from './blob.js';
import { deserialize, type Loaded, type LoadOptions } from './deserialize.js';
import { CheckpointError } from './errors.js';
import type { Json } from './format.js';
import type { CheckpointInput, Serialized } from './serialize.js';

// The few IndexedDB types used here (the project type-checks without the DOM library).
interface Req<T> { readonly result: T; readonly error: unknown; onsuccess: (() => void) | null; onerror: (() => void) | null }
interface OpenReq extends Req<Db> { onupgradeneeded: (() => void) | null; onblocked: (() => void) | null }
interface Store { put(value: unknown, key: string): Req<unknown>; get(key: string): Req<unknown>; getAll(): Req<unknown[]>; getAllKeys(): Req<unknown[]>; delete(key: string): Req<unknown> }
interface Tx { objectStore(name: string): Store; abort(): void; readonly error: unknown; oncomplete: (() => void) | null; onerror: (() => void) | null; onabort: (() => void) | null }
interface Db { readonly objectStoreNames: { contains(name: string): boolean }; createObjectStore(name: string): unknown; transaction(stores: string[], mode: 'readonly' | 'readwrite'): Tx; close(): void; onversionchange: (() => void) | null }
interface Factory { open(name: string, version: number): OpenReq }

/** Where and how long: the options every IndexedDB function takes. */
export interface IndexedDBOptions {
  /** The IndexedDB database (default 'optimix'). */
  readonly database?: string;
  /** How long to wait for IndexedDB before giving up with a CheckpointError, in ms (default 10000; a tab holding an older version blocks opening). */
  readonly timeoutMs?: number;
}

/** One checkpoint in IndexedDB, as listIndexedDB and saveToIndexedDB describe it. */
export interface IndexedDBCheckpoint {
  /** Its name (the key in both stores). */
  readonly name: string;
  /** The optimizer state's step count, or null if the stored manifest cannot be read. */
  readonly count: number | null;
  /** The `meta` JSON given when saving (null when none, or unreadable). */
  readonly meta: Json;
  /** The weights' size in bytes, or null if the stored manifest cannot be read. */
  readonly byteLength: number | null;
}

const STORES = ['manifests', 'weights'];
const DB_OPTIONS = ['database', 'timeoutMs'];
const INSTEAD = 'under Node use save(dir) / load(dir); anywhere, toBlob / fromBlob or serialize / deserialize work on bytes';
const message = (e: unknown): string => e === null || e === undefined ? 'the transaction was aborted' : (e instanceof Error || (typeof e === 'object' && e !== null && 'message' in e) ? `${(e as { name?: string }).name ?? 'Error'}: ${(e as { message: string }).message}` : String(e));

/** resolve(where, name, options): (name null: none needed) the factory, database and timeout, after checking them (unknown keys, a bad name, no IndexedDB). */
function resolve(where: string, name: unknown, options: IndexedDBOptions, extra: readonly string[] = []): { factory: Factory; database: string; ms: number } {
  checkKeys(where, options, [...extra, ...DB_OPTIONS]);
  const factory = (globalThis as { indexedDB?: Factory }).indexedDB;
  if (factory === undefined) throw new BrowserOnlyError(where, 'IndexedDB', INSTEAD);
  const { database = 'optimix', timeoutMs = 10_000 } = options;
  const problems: string[] = [];
  if (name !== null && (typeof name !== 'string' || name === '')) problems.push(`name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (typeof database !== 'string' || database === '') problems.push(`database must be a non-empty string, got ${JSON.stringify(database)}`);
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) problems.push(`timeoutMs must be a finite number > 0, got ${String(timeoutMs)}`);
  if (problems.length > 0) throw new CheckpointError(where, problems);
  return { factory, database, ms: timeoutMs };
}

/** openDb: the database, its two stores made on first use; a late success after the timeout closes it again. */
function openDb(factory: Factory, database: string, where: string, ms: number): Promise<Db> {
  return new Promise((done, fail) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      fail(new CheckpointError(where, [`IndexedDB did not open database '${database}' within ${ms} ms (another tab may hold it open in an older version)`]));
    }, ms);
    const r = factory.open(database, 1);
    r.onupgradeneeded = () => {
      for (const s of STORES) if (!r.result.objectStoreNames.contains(s)) r.result.createObjectStore(s);
    };
    r.onsuccess = () => {
      clearTimeout(timer);
      const db = r.result;
      if (late) return db.close();
      db.onversionchange = () => db.close();
      if (!STORES.every((s) => db.objectStoreNames.contains(s))) {
        db.close();
        return fail(new CheckpointError(where, [`IndexedDB database '${database}' has no '${STORES.join("' and '")}' stores (made by something else?): pass { database } to use another`]));
      }
      done(db);
    };
    r.onerror = () => {
      clearTimeout(timer);
      fail(new CheckpointError(where, [`cannot open IndexedDB database '${database}': ${message(r.error)}`]));
    };
  });
}

type Stores = { readonly manifests: Store; readonly weights: Store };

/** transact(where, options, mode, body): run body's requests in one transaction over both stores; resolves with body's getter once it commits. */
async function transact<T>(where: string, r: { factory: Factory; database: string; ms: number }, mode: 'readonly' | 'readwrite', body: (s: Stores) => () => T): Promise<T> {
  const db = await openDb(r.factory, r.database, where, r.ms);
  try {
    return await new Promise<T>((done, fail) => {
      const failed = (why: unknown) => new CheckpointError(where, [`the IndexedDB transaction on '${r.database}' failed and was rolled back: ${message(why)}`]);
      let tx: Tx;
      try {
        tx = db.transaction(STORES, mode);
      } catch (e) {
        return fail(new CheckpointError(where, [`cannot start an IndexedDB transaction on '${r.database}': ${message(e)}`]));
      }
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
      };
      const abort = () => {
        try {
          tx.abort();
        } catch {
          // already committed or aborted: nothing to undo
        }
      };
      const timer = setTimeout(() => {
        finish(() => fail(new CheckpointError(where, [`IndexedDB did not finish the ${mode} transaction on '${r.database}' within ${r.ms} ms (aborted)`])));
        abort();
      }, r.ms);
      let get: () => T = () => undefined as T;
      tx.oncomplete = () => finish(() => {
        try {
          done(get());
        } catch (e) {
          fail(e);
        }
      });
      tx.onerror = tx.onabort = () => finish(() => fail(failed(tx.error)));
      try {
        get = body({ manifests: tx.objectStore('manifests'), weights: tx.objectStore('weights') });
      } catch (e) {
        finish(() => fail(failed(e)));
        abort();
      }
    });
  } finally {
    db.close();
  }
}

/** describeEntry(name, text): what list shows of one stored manifest. */
function describeEntry(name: string, text: unknown): IndexedDBCheckpoint {
  try {
    const m = JSON.parse(String(text)) as { state?: { count?: unknown }; meta?: Json; weights?: { byteLength?: unknown } };
    const count = m.state?.count;
    const byteLength = m.weights?.byteLength;
    return { name, count: typeof count === 'number' ? count : null, meta: m.meta ?? null, byteLength: typeof byteLength === 'number' ? byteLength : null };
  } catch {
    return { name, count: null, meta: null, byteLength: null };
  }
}

/**
 * saveToIndexedDB(name, serialized | { params, state, opt?, meta? }, { database = 'optimix', timeoutMs = 10000 }): store the
 * checkpoint under `name` (replacing one of that name), manifest and weights in one transaction (all or nothing). Reads tensors
 * only. Throws BrowserOnlyError where there is no IndexedDB (Node).
 */
export async function saveToIndexedDB(name: string, input: CheckpointInput | Serialized, options: IndexedDBOptions = {}): Promise<IndexedDBCheckpoint> {
  const where = 'saveToIndexedDB';
  const r = resolve(where, name, options);
  const { manifest, weights } = serialized(input, where);
  const text = JSON.stringify(manifest);
  const buffer = weights.slice().buffer;
  await transact(where, r, 'readwrite', (s) => {
    s.manifests.put(text, name);
    s.weights.put(buffer, name);
    return () => undefined;
  });
  return describeEntry(name, text);
}

/** missing(where, name, database, names): the CheckpointError for a name IndexedDB does not hold, listing the names it does. */
const missing = (where: string, name: string, database: string, names: readonly unknown[]): CheckpointError =>
  new CheckpointError(where, [`no checkpoint named ${JSON.stringify(name)} in IndexedDB database '${database}' (${names.length === 0 ? 'it holds none' : `it holds ${names.map((n) => JSON.stringify(n)).join(', ')}`})`]);

/**
 * loadFromIndexedDB(name, { params?, opt?, allowLearningRateChange?, database?, timeoutMs? }): the checkpoint saved under `name`,
 * as fresh tensors, after every check deserialize makes; a missing name is a CheckpointError naming it and the names there are.
 */
export async function loadFromIndexedDB(name: string, options: LoadOptions & IndexedDBOptions = {}): Promise<Loaded> {
  const where = 'loadFromIndexedDB';
  const r = resolve(where, name, options, ['params', 'opt', 'allowLearningRateChange']);
  const { database: _d, timeoutMs: _t, ...loadOptions } = options;
  const found = await transact(where, r, 'readonly', (s) => {
    const m = s.manifests.get(name);
    const w = s.weights.get(name);
    const names = s.manifests.getAllKeys();
    return () => ({ manifest: m.result, weights: w.result, names: names.result });
  });
  if (found.manifest === undefined) throw missing(where, name, r.database, found.names);
  if (!(found.weights instanceof ArrayBuffer)) throw new CheckpointError(where, [`checkpoint ${JSON.stringify(name)} in '${r.database}' has a manifest but no weights`]);
  return deserialize(found.manifest, found.weights, loadOptions, where);
}

/** listIndexedDB({ database?, timeoutMs? }): every checkpoint in the database, by name (IndexedDB's key order), with its step count, meta and size. */
export async function listIndexedDB(options: IndexedDBOptions = {}): Promise<IndexedDBCheckpoint[]> {
  const r = resolve('listIndexedDB', null, options);
  return transact('listIndexedDB', r, 'readonly', (s) => {
    const keys = s.manifests.getAllKeys();
    const values = s.manifests.getAll();
    return () => keys.result.map((k, i) => describeEntry(String(k), values.result[i]));
  });
}

/** deleteFromIndexedDB(name, { database?, timeoutMs? }): remove the checkpoint `name` (manifest and weights, one transaction); a missing name is a CheckpointError naming it. */
export async function deleteFromIndexedDB(name: string, options: IndexedDBOptions = {}): Promise<void> {
  const where = 'deleteFromIndexedDB';
  const r = resolve(where, name, options);
  const names = await transact(where, r, 'readwrite', (s) => {
    const keys = s.manifests.getAllKeys();
    keys.onsuccess = () => {
      if (keys.result.includes(name)) {
        s.manifests.delete(name);
        s.weights.delete(name);
      }
    };
    return () => keys.result;
  });
  if (!names.includes(name)) throw missing(where, name, r.database, names);
}
