// P-SEC-8: the statistics of the timing benchmark (bench/stats.ts) against known values: SciPy
// 1.17 `mannwhitneyu(a, b, use_continuity=False, method="asymptotic")` and the normal tail.
import { describe, expect, it } from "vitest"
import { erfc, mannWhitney, median } from "../bench/stats.ts"

describe("P-SEC-8 benchmark statistics", () => {
  it("P-SEC-8 Mann–Whitney U and its two-sided p-value match SciPy, ties included", () => {
    const separated = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    expect(separated.u).toBe(0)
    expect(separated.z).toBeCloseTo(-2.6112, 4)
    expect(separated.p).toBeCloseTo(0.009023438818080326, 7)
    const ties = mannWhitney([1, 2, 2, 3, 4, 4, 4, 5], [3, 4, 5, 5, 6, 6, 7])
    expect(ties.u).toBe(8)
    expect(ties.p).toBeCloseTo(0.018748083047450164, 7)
    const small = mannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12])
    expect(small.u).toBe(17)
    expect(small.p).toBeCloseTo(0.0864107329737, 7)
    const grid = Array.from({ length: 40 }, (_, i) => Math.round((10 + (10 * i) / 39) * 10) / 10)
    const shifted = mannWhitney(
      grid,
      grid.map((x) => Math.round((x + 1.5) * 10) / 10),
    )
    expect(shifted.u).toBe(584)
    expect(shifted.p).toBeCloseTo(0.03764226690403075, 6)
    expect(shifted.z).toBeLessThan(0)
  })

  it("P-SEC-8 identical samples give p = 1; the normal tail is right far out", () => {
    expect(mannWhitney([1.1, 2.2, 3.3], [1.1, 2.2, 3.3])).toEqual({ u: 4.5, z: 0, p: 1 })
    expect(mannWhitney([5, 5, 5], [5, 5])).toMatchObject({ z: 0, p: 1 })
    // 2·(1 − Φ(4.2)) = erfc(4.2 / √2)
    expect(erfc(4.2 / Math.SQRT2) / 2.669149803181262e-5).toBeCloseTo(1, 6)
    expect(erfc(0)).toBeCloseTo(1, 7)
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 7)
  })

  it("medians of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })
})
