// A small command-line flag parser for the demo and the reproduction: `--name value`, `--name=value`, `--switch`.

export interface Flags {
  readonly values: ReadonlyMap<string, string>;
  readonly bools: ReadonlySet<string>;
}

/** flagsOf(argv, valued, switches): the flags, with an error naming any unknown flag or a missing value. */
export function flagsOf(argv: readonly string[], valued: readonly string[], switches: readonly string[]): Flags {
  const values = new Map<string, string>();
  const bools = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new RangeError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (switches.includes(name)) {
      if (eq >= 0) throw new RangeError(`--${name} takes no value`);
      bools.add(name);
    } else if (valued.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new RangeError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new RangeError(`unknown flag --${name}`);
    }
  }
  return { values, bools };
}

export const strFlag = (f: Flags, name: string): string | undefined => f.values.get(name);

export function intFlag(f: Flags, name: string, min: number): number | undefined {
  const v = f.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} must be an integer ≥ ${min}, got ${v}`);
  return n;
}

export function numFlag(f: Flags, name: string): number | undefined {
  const v = f.values.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`--${name} must be a positive number, got ${v}`);
  return n;
}
