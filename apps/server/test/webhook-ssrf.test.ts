/**
 * P-HOOK-2: webhooks never reach loopback, private, link-local, CGNAT, unique-local, multicast or
 * other non-public addresses, whichever way the address is written (IPv4-mapped IPv6, NAT64,
 * decimal, hex and octal host forms) or hidden behind a name; the connection goes to the address
 * that was checked (a name cannot re-resolve elsewhere). PORTAL_WEBHOOK_ALLOW_PRIVATE=1 lets them
 * through (and http:// to them). Properties over generated addresses (fast-check), real DNS for
 * `localhost`, and the admin API's answer.
 */
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { isPublicAddress, postSigned, resolveTarget } from "../src/WebhookSender.ts"
import { type Client, error } from "./support/Http.ts"
import { ADMIN, startWorld, type World } from "./support/World.ts"

const strict = { allowPrivate: false }

/** A v4 address inside `base/bits`, from a random 32-bit number. */
const inRange = (base: [number, number, number, number], bits: number) =>
  fc.nat({ max: 2 ** (32 - bits) - 1 }).map((offset) => {
    const start = ((base[0] << 24) | (base[1] << 16) | (base[2] << 8) | base[3]) >>> 0
    return (start + offset) >>> 0
  })

const BLOCKED_V4 = fc.oneof(
  inRange([127, 0, 0, 0], 8),
  inRange([10, 0, 0, 0], 8),
  inRange([172, 16, 0, 0], 12),
  inRange([192, 168, 0, 0], 16),
  inRange([169, 254, 0, 0], 16),
  inRange([100, 64, 0, 0], 10),
  inRange([0, 0, 0, 0], 8),
  inRange([224, 0, 0, 0], 4),
  inRange([240, 0, 0, 0], 4),
)

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".")
const hex16 = (n: number) => [(n >>> 16).toString(16), (n & 0xffff).toString(16)]

/** The ways a URL may write an IPv4 host that WHATWG's parser reads as that address. */
const hostForms = (n: number): Array<string> => {
  const [a, b, c, d] = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
  const [hi, lo] = hex16(n)
  return [
    dotted(n),
    String(n), // http://2130706433/
    `0x${n.toString(16)}`,
    `0x${a.toString(16)}.${(n & 0xffffff).toString()}`, // 0x7f.1 style
    `0${a.toString(8)}.${b}.${c}.${d}`, // octal first part
    `[::ffff:${dotted(n)}]`,
    `[::ffff:${hi}:${lo}]`,
    `[64:ff9b::${dotted(n)}]`, // NAT64
    `[64:ff9b:1::${hi}:${lo}]`,
  ]
}

const refusal = async (url: string, options = strict) => {
  try {
    await resolveTarget(url, options)
    return null
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}

describe("P-HOOK-2: private and loopback targets are refused", () => {
  it("P-HOOK-2: every generated non-public IPv4 address is refused in every host form", async () => {
    await fc.assert(
      fc.asyncProperty(BLOCKED_V4, async (n) => {
        expect(isPublicAddress(dotted(n))).toBe(false)
        for (const host of hostForms(n)) expect(await refusal(`https://${host}/hook`), host).toBe("webhook_url_private")
      }),
      { numRuns: 300 },
    )
  })

  it("P-HOOK-2: the classic spellings of 127.0.0.1 are refused", async () => {
    for (const url of [
      "http://2130706433/",
      "https://2130706433/",
      "https://0x7f.1/",
      "https://0177.0.0.1/",
      "https://127.1/",
      "https://[::ffff:127.0.0.1]/",
      "https://[::1]/",
      "https://[::]/",
      "https://0.0.0.0/",
      "https://255.255.255.255/",
    ])
      expect(await refusal(url), url).toMatch(/^webhook_url_(private|not_https)$/)
  })

  it("P-HOOK-2: generated link-local, unique-local, multicast and loopback IPv6 addresses are refused", async () => {
    const group = fc.nat({ max: 0xffff })
    const v6 = (prefix: number, mask: number) =>
      fc
        .tuple(group, fc.array(group, { minLength: 7, maxLength: 7 }))
        .map(([g0, rest]) =>
          [((prefix & mask) | (g0 & ~mask & 0xffff)).toString(16), ...rest.map((g) => g.toString(16))].join(":"),
        )
    await fc.assert(
      fc.asyncProperty(fc.oneof(v6(0xfe80, 0xffc0), v6(0xfc00, 0xfe00), v6(0xff00, 0xff00)), async (address) => {
        expect(isPublicAddress(address), address).toBe(false)
        expect(await refusal(`https://[${address}]/`), address).toBe("webhook_url_private")
      }),
      { numRuns: 200 },
    )
  })

  it("P-HOOK-2: public addresses pass (the check can say yes)", async () => {
    for (const address of ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "64:ff9b::808:808"])
      expect(isPublicAddress(address), address).toBe(true)
    expect(await refusal("https://8.8.8.8/hook")).toBeNull()
    // Plain http:// is refused to a public address, with or without the flag.
    expect(await refusal("http://8.8.8.8/hook")).toBe("webhook_url_not_https")
    expect(await refusal("http://8.8.8.8/hook", { allowPrivate: true })).toBe("webhook_url_not_https")
  })

  it("P-HOOK-2: a name resolving to 127.0.0.1 (localhost) is refused without the flag, allowed with it", async () => {
    expect(await refusal("https://localhost/hook")).toBe("webhook_url_private")
    expect(await refusal("https://localhost/hook", { allowPrivate: true })).toBeNull()
    expect(await refusal("http://localhost/hook", { allowPrivate: true })).toBeNull()
    // One private address among public ones is enough to refuse.
    const mixed = async () => [
      { address: "8.8.8.8", family: 4 },
      { address: "10.1.2.3", family: 4 },
    ]
    expect(await refusal("https://hooks.example.test/", { allowPrivate: false, resolve: mixed } as never)).toBe(
      "webhook_url_private",
    )
    expect(await refusal("https://no-such-host.invalid/")).toBe("webhook_url_unresolvable")
  })

  it("P-HOOK-2: the POST goes to the checked address, with the name as Host (no second lookup)", async () => {
    const seen: Array<IncomingHttpHeaders> = []
    const server = createServer((req, res) => {
      seen.push(req.headers)
      res.statusCode = 202
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as AddressInfo).port
    let lookups = 0
    const resolve = async () => {
      lookups++
      return [{ address: "127.0.0.1", family: 4 }]
    }
    try {
      // The name exists in no DNS: only the checked, pinned address can be what is reached.
      const target = await resolveTarget(`http://hooks.rebind.test:${port}/x`, { allowPrivate: true, resolve })
      const status = await postSigned(target, {
        secret: `whsec_${Buffer.alloc(32, 1).toString("base64")}`,
        id: "msg_pinned",
        timestampSeconds: 1_800_000_000,
        body: "{}",
      })
      expect(status).toBe(202)
      expect(lookups).toBe(1)
      expect(seen[0]?.host).toBe(`hooks.rebind.test:${port}`)
      expect(seen[0]?.["webhook-id"]).toBe("msg_pinned")
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})

describe("P-HOOK-2: the admin API refuses such endpoints with a code", () => {
  let world: World
  let admin: Client
  beforeAll(async () => {
    world = await startWorld()
    admin = world.client()
    await admin.signIn(ADMIN.email, ADMIN.password, true)
  })
  afterAll(() => world.close())

  it("P-HOOK-2: localhost, private literals and http:// are 400 with the reason's code", async () => {
    for (const [url, code] of [
      ["https://localhost/hook", "webhook_url_private"],
      ["https://2130706433/hook", "webhook_url_private"],
      ["https://[::ffff:10.0.0.1]/hook", "webhook_url_private"],
      ["https://169.254.169.254/latest/meta-data", "webhook_url_private"],
      ["http://8.8.8.8/hook", "webhook_url_not_https"],
    ] as const) {
      const res = await admin.mutate("admin.webhooks.create", { url, events: ["ticket.created"] })
      expect(res.status, url).toBe(400)
      expect(error(res)?.data.issues, url).toEqual([expect.objectContaining({ path: "url", code })])
    }
    expect((await admin.query("admin.webhooks.list")).json?.result?.data).toEqual([])
  })
})
