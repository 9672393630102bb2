import { describe, expect, it } from "vitest"
import { clientAddressKey, defaultSignInThrottle, signInDelayMs } from "../../src/rules/index.ts"

describe("P-SEC-4 sign-in throttle rule", () => {
  it("P-SEC-4 the account's failures cost nothing at first, then a doubling delay capped at a few seconds", () => {
    const slow = defaultSignInThrottle.perAccount
    const delays = Array.from({ length: 12 }, (_, failures) => signInDelayMs(failures, slow))
    expect(delays.slice(0, slow.freeFailures)).toEqual(Array(slow.freeFailures).fill(0))
    expect(delays.slice(slow.freeFailures, slow.freeFailures + 3)).toEqual([500, 1000, 2000])
    expect(Math.max(...delays)).toBe(3000)
    expect(signInDelayMs(1_000_000, slow)).toBe(3000)
    expect(signInDelayMs(-1, slow)).toBe(0)
  })
  it("P-SEC-4 the defaults: 10 failures per account and address, 100 per address, per 15 minutes", () => {
    expect(defaultSignInThrottle.perAccountAndAddress).toEqual({ limit: 10, windowSeconds: 900 })
    expect(defaultSignInThrottle.perAddress).toEqual({ limit: 100, windowSeconds: 900 })
  })
  it("P-SEC-4 client addresses: IPv4 as is, IPv4-mapped as IPv4, IPv6 by its /64", () => {
    expect(clientAddressKey("203.0.113.9")).toBe("203.0.113.9")
    expect(clientAddressKey("::ffff:203.0.113.9")).toBe("203.0.113.9")
    expect(clientAddressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64")
    expect(clientAddressKey("2001:DB8:1:2::1")).toBe("2001:db8:1:2::/64")
    expect(clientAddressKey("2001:db8::1")).toBe("2001:db8:0:0::/64")
    expect(clientAddressKey("2001:0db8:0000:0000::9")).toBe("2001:db8:0:0::/64")
    expect(clientAddressKey("::1")).toBe("0:0:0:0::/64")
    expect(clientAddressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64")
    expect(clientAddressKey("")).toBe("unknown")
  })
})
