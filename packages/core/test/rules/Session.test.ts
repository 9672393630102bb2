import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { IsoTime } from "../../src/domain/index.ts"
import { absoluteExpiry, sessionExpired } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const at = (minutes: number): IsoTime => new Date(Date.UTC(2026, 9, 1, 9, 0) + minutes * 60_000).toISOString()
const session = (createdMin: number, lastSeenMin: number, absoluteHours = 168) => ({
  createdAt: at(createdMin),
  lastSeenAt: at(lastSeenMin),
  absoluteExpiresAt: absoluteExpiry(at(createdMin), absoluteHours),
})

describe("P-AUTH-6 idle sessions expire", () => {
  it.each([20, 40, 60, 1440])(
    "P-AUTH-6 idle timeout %i minutes: alive just before, expired at the boundary",
    (idle) => {
      const s = session(0, 10)
      expect(sessionExpired(s, at(10 + idle - 1), idle, 168)).toBe(false)
      expect(sessionExpired(s, at(10 + idle), idle, 168)).toBe(true)
    },
  )
  it("P-AUTH-6 activity keeps a session alive until the absolute limit", () => {
    expect(sessionExpired(session(0, 60 * 23), at(60 * 23 + 5), 20, 24)).toBe(false)
    expect(sessionExpired(session(0, 60 * 24 - 1), at(60 * 24), 20, 24)).toBe(true)
  })
  it("P-AUTH-6 the stored absolute expiry applies even if absoluteHours grew since", () => {
    expect(sessionExpired(session(0, 60 * 24 - 1, 24), at(60 * 24), 60, 168)).toBe(true)
  })
  it("P-AUTH-6 times in other zones compare as instants", () => {
    const s = {
      createdAt: "2026-10-01T18:00:00+09:00",
      lastSeenAt: "2026-10-01T18:00:00+09:00",
      absoluteExpiresAt: "2026-10-08T09:00:00Z",
    }
    expect(sessionExpired(s, "2026-10-01T09:19:00Z", 20, 168)).toBe(false)
    expect(sessionExpired(s, "2026-10-01T09:20:00Z", 20, 168)).toBe(true)
  })
  it("P-AUTH-6 clock skew: a lastSeenAt in the future counts as now; unparsable times fail closed", () => {
    expect(sessionExpired(session(0, 500), at(100), 20, 168)).toBe(false)
    expect(sessionExpired({ ...session(0, 0), lastSeenAt: "garbage" }, at(1), 20, 168)).toBe(true)
  })
  it("P-AUTH-6 property: once expired, a session stays expired later; alive needs both limits", () => {
    const minute = fc.integer({ min: 0, max: 20_000 })
    fc.assert(
      fc.property(minute, minute, minute, minute, fc.constantFrom(20, 40, 60, 1440), (c, seen, now, later, idle) => {
        const s = session(c, c + seen)
        const t = c + seen + now
        if (sessionExpired(s, at(t), idle, 168)) expect(sessionExpired(s, at(t + later), idle, 168)).toBe(true)
        else expect(t - (c + seen) < idle && t - c < 168 * 60).toBe(true)
      }),
      RUNS,
    )
  })
})
