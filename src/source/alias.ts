/** Read an option that may be spelled in ASCII or Greek (`sigma` or `σ`); both given and different is an error. */
export function alias<T>(where: string, options: object, ascii: string, greek: string, fallback: T): T {
  const o = options as Record<string, unknown>;
  const a = o[ascii];
  const g = o[greek];
  if (a !== undefined && g !== undefined && a !== g) {
    throw new TypeError(`${where}: both '${ascii}' and '${greek}' are given, with different values (${String(a)} and ${String(g)}); give one`);
  }
  return (a ?? g ?? fallback) as T;
}
