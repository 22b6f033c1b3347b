import fc from 'fast-check';

/** Options of `verify` and `check`: fast-check's run parameters (numRuns, seed, path, endOnFailure, …). */
export type CheckOptions = fc.Parameters<unknown>;

/** The outcome of running a law: whether it held, and if not, the failure, the (shrunk) counterexample and how to replay it. */
export interface LawReport {
  /** The law's name. */
  readonly law: string;
  /** Whether the law held on every run. */
  readonly ok: boolean;
  /** How many random cases were run. */
  readonly numRuns: number;
  /** The seed fast-check used; with `path`, it replays the failure. */
  readonly seed: number;
  /** Replay the failure with `{ seed, path }`. */
  readonly path?: string;
  /** What went wrong (the LawViolation or error message of the shrunk counterexample). */
  readonly failure?: string;
  /** The shrunk input that breaks the law. */
  readonly counterexample?: unknown;
  /** A readable multi-line account of the failure (empty when the law held). */
  readonly message: string;
}

/** Thrown by `check` when a law fails; `report` holds the details. */
export class LawError extends Error {
  /** Always `'LawError'`. */
  override readonly name = 'LawError';
  constructor(
    /** The failed law's report: the failure, the shrunk counterexample, and how to replay it. */
    readonly report: LawReport,
  ) {
    super(report.message);
  }
}

const nameOf = (p: unknown): string => (typeof (p as { law?: unknown }).law === 'string' ? (p as { law: string }).law : 'property');

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n)} … (${s.length - n} more characters)`);

function toReport<Ts>(name: string, d: fc.RunDetails<Ts>): LawReport {
  if (!d.failed) return { law: name, ok: true, numRuns: d.numRuns, seed: d.seed, message: '' };
  if (d.counterexample === null) {
    const why = d.interrupted ? 'was interrupted (time limit)' : 'skipped too many inputs';
    return { law: name, ok: false, numRuns: d.numRuns, seed: d.seed, failure: why, message: `law '${name}' ${why} after ${d.numRuns} runs (seed ${d.seed})` };
  }
  const err = d.errorInstance;
  const failure = err instanceof Error ? err.message : String(err);
  const counter = clip(fc.stringify(d.counterexample), 1500);
  const message = [
    `law '${name}' does not hold (failed after ${d.numRuns} run${d.numRuns === 1 ? '' : 's'}, ${d.numShrinks} shrink${d.numShrinks === 1 ? '' : 's'}):`,
    `  ${failure.split('\n').join('\n  ')}`,
    `  counterexample: ${counter}`,
    `  replay with { seed: ${d.seed}, path: ${JSON.stringify(d.counterexamplePath)} }`,
  ].join('\n');
  return { law: name, ok: false, numRuns: d.numRuns, seed: d.seed, path: d.counterexamplePath ?? '', failure, counterexample: d.counterexample, message };
}

function verifyRaw<Ts>(property: fc.IRawProperty<Ts>, options: CheckOptions): LawReport | Promise<LawReport> {
  const name = nameOf(property);
  const d = fc.check(property, options as fc.Parameters<Ts>);
  return d instanceof Promise ? d.then((x) => toReport(name, x)) : toReport(name, d);
}

/** verify(law, options): run a law with fast-check and report whether it held (never throws for a failing law). */
export function verify<Ts>(property: fc.IProperty<Ts>, options?: CheckOptions): LawReport;
export function verify<Ts>(property: fc.IAsyncProperty<Ts>, options?: CheckOptions): Promise<LawReport>;
export function verify<Ts>(property: fc.IRawProperty<Ts>, options: CheckOptions = {}): LawReport | Promise<LawReport> {
  return verifyRaw(property, options);
}

/** check(law, options): run a law; throw a LawError with the shrunk counterexample and replay parameters if it does not hold. */
export function check<Ts>(property: fc.IProperty<Ts>, options?: CheckOptions): void;
export function check<Ts>(property: fc.IAsyncProperty<Ts>, options?: CheckOptions): Promise<void>;
export function check<Ts>(property: fc.IRawProperty<Ts>, options: CheckOptions = {}): void | Promise<void> {
  const r = verifyRaw(property, options);
  const judge = (x: LawReport): void => {
    if (!x.ok) throw new LawError(x);
  };
  return r instanceof Promise ? r.then(judge) : judge(r);
}
