// Statistics over seeds, as the report states them.

/** mean(xs) = Σx / n. */
export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** std(xs): sample standard deviation √(Σ(x − x̄)² / (n − 1)); 0 for a single value. */
export const std = (xs: readonly number[]): number => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

/** welchT(a, b) = (ā − b̄) / √(s_a²/n_a + s_b²/n_b) (Welch 1947); NaN with fewer than 2 values or zero spread. */
export function welchT(a: readonly number[], b: readonly number[]): number {
  if (a.length < 2 || b.length < 2) return Number.NaN;
  const se = Math.sqrt(std(a) ** 2 / a.length + std(b) ** 2 / b.length);
  return se === 0 ? Number.NaN : (mean(a) - mean(b)) / se;
}

/** median(xs): the middle value (mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[k] as number) : ((s[k - 1] as number) + (s[k] as number)) / 2;
}
