/**
 * Small statistics for the timing benchmarks (P-SEC-8, P-VIS-4): medians and the two-sided
 * Mann–Whitney U test with the normal approximation and the tie correction (no continuity
 * correction: SciPy's `mannwhitneyu(a, b, use_continuity=False, method="asymptotic")`).
 * test/bench-stats.test.ts checks it against SciPy's figures.
 */

/** The q-quantile of sorted values, nearest rank (the benchmarks' p90 and p99). */
export const quantile = (sorted: ReadonlyArray<number>, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number

/** The median (the mean of the two middle values for an even count). */
export const median = (values: ReadonlyArray<number>): number => {
  const s = [...values].sort((x, y) => x - y)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** erfc(x), with a fractional error below 1.2e-7 everywhere (Chebyshev fit, Numerical Recipes' erfcc). */
export const erfc = (x: number): number => {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const r = t * Math.exp(poly)
  return x >= 0 ? r : 2 - r
}

export interface MannWhitney {
  /** U of the first sample: how often one of its values beats one of the second's (ties count ½). */
  readonly u: number
  /** (U − n₁n₂/2) / σ with the tie-corrected σ; > 0 when the first sample tends to be larger. */
  readonly z: number
  /** Two-sided p-value of z under the normal approximation. */
  readonly p: number
}

export const mannWhitney = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): MannWhitney => {
  const pooled = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort(
    (x, y) => x.v - y.v,
  )
  const n = pooled.length
  let rankSumA = 0
  let tieTerm = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && pooled[j + 1]?.v === pooled[i]?.v) j++
    const rank = (i + j) / 2 + 1 // the average rank of the tie group (1-based)
    for (let k = i; k <= j; k++) if (pooled[k]?.first) rankSumA += rank
    const t = j - i + 1
    tieTerm += t * t * t - t
    i = j + 1
  }
  const n1 = a.length
  const n2 = b.length
  const u = rankSumA - (n1 * (n1 + 1)) / 2
  const sigma = n < 2 ? 0 : Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
  const z = sigma === 0 ? 0 : (u - (n1 * n2) / 2) / sigma
  return { u, z, p: sigma === 0 ? 1 : Math.min(1, erfc(Math.abs(z) / Math.SQRT2)) }
}

/** Shuffle in place (Fisher–Yates), so the benchmarks interleave their cases in random order. */
export const shuffle = <A>(xs: Array<A>): Array<A> => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j] as A, xs[i] as A]
  }
  return xs
}
