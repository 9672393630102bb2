/**
 * The host's WebhookSender (P-HOOK-1, P-HOOK-2): where a webhook may go, and the signed POST.
 * - SSRF: the URL must be `https://`; its host is resolved once (DNS, every address) and every
 *   address must be public unicast: loopback, private (10/8, 172.16/12, 192.168/16), link-local
 *   (169.254/16, fe80::/10), CGNAT 100.64/10, unique-local fc00::/7, 0.0.0.0/8, multicast,
 *   broadcast, reserved and documentation ranges are refused, and so are IPv4-mapped IPv6 and
 *   NAT64 (64:ff9b::/96, 64:ff9b:1::/48) addresses of them (6to4 and Teredo are refused outright).
 *   Numeric host forms (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`) are what WHATWG's URL
 *   parser makes them (127.0.0.1 …) and are checked as such.
 * - The POST connects to the checked address (a `lookup` that returns it), so a name that
 *   resolves elsewhere a moment later (DNS rebinding) cannot slip through; TLS SNI and Host stay
 *   the name. No redirect is followed; the answer's body is read up to 64 KiB and dropped.
 * - Signature: the `standardwebhooks` package, headers `webhook-id`, `webhook-timestamp`,
 *   `webhook-signature: v1,<base64>`.
 * `allowPrivate` (PORTAL_WEBHOOK_ALLOW_PRIVATE=1) lets private and loopback targets through, and
 * plain `http://` when every address of the host is such a one (local tests, closed networks).
 */
import { lookup as dnsLookup } from "node:dns/promises"
import http from "node:http"
import https from "node:https"
import type { LookupFunction } from "node:net"
import { type WebhookSenderShape, WebhookSendFailed, WebhookTargetRefused } from "@portal/core/ports"
import { webhookUrlIssues } from "@portal/core/rules"
import { Effect } from "effect"
import ipaddr from "ipaddr.js"
import { Webhook } from "standardwebhooks"

export const WEBHOOK_TIMEOUT_MS = 10_000

const v4Of = (v6: ipaddr.IPv6): ipaddr.IPv4 => {
  const p = v6.parts
  return new ipaddr.IPv4([(p[6] ?? 0) >> 8, (p[6] ?? 0) & 0xff, (p[7] ?? 0) >> 8, (p[7] ?? 0) & 0xff])
}

/**
 * Whether an address is public unicast (P-HOOK-2). IPv4-mapped and NAT64 IPv6 addresses are
 * judged by the IPv4 address they carry; anything that does not parse is not public.
 */
export const isPublicAddress = (address: string): boolean => {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "")
  if (!ipaddr.isValid(bare)) return false
  let ip = ipaddr.parse(bare)
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6
    const range = v6.range()
    if (range === "ipv4Mapped" || range === "rfc6052" || range === "rfc6145") ip = v4Of(v6)
  }
  return ip.range() === "unicast"
}

export interface ResolvedTarget {
  readonly url: URL
  readonly hostname: string
  readonly address: string
  readonly family: 4 | 6
}

export interface SenderOptions {
  readonly allowPrivate: boolean
  /** DNS (tests may pass their own); default node's `dns.promises.lookup`. */
  readonly resolve?: (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>
  readonly timeoutMs?: number
}

const refused = (code: WebhookTargetRefused["code"], message: string) => new WebhookTargetRefused({ code, message })

const defaultResolve = (hostname: string) => dnsLookup(hostname, { all: true, verbatim: true })

/** The URL's form, then every address its host resolves to; the first address to connect to. */
export const resolveTarget = async (raw: string, options: SenderOptions): Promise<ResolvedTarget> => {
  const issue = webhookUrlIssues(raw, { allowHttp: true })[0]
  if (issue !== undefined)
    throw refused(issue.code === "webhook_url_not_https" ? "webhook_url_not_https" : "invalid_url", issue.message)
  const url = new URL(raw)
  const hostname = url.hostname.replace(/^\[|\]$/g, "")
  let addresses: ReadonlyArray<{ address: string; family: number }>
  if (ipaddr.isValid(hostname)) addresses = [{ address: hostname, family: hostname.includes(":") ? 6 : 4 }]
  else {
    try {
      addresses = await (options.resolve ?? defaultResolve)(hostname)
    } catch {
      throw refused("webhook_url_unresolvable", `The host name ${hostname} cannot be resolved.`)
    }
  }
  const first = addresses[0]
  if (first === undefined) throw refused("webhook_url_unresolvable", `The host name ${hostname} has no address.`)
  const allPublic = addresses.every((a) => isPublicAddress(a.address))
  if (!allPublic && !options.allowPrivate)
    throw refused("webhook_url_private", `${hostname} is a private or local address; webhooks go to public ones only.`)
  if (url.protocol === "http:" && (allPublic || !options.allowPrivate))
    throw refused("webhook_url_not_https", "Webhook endpoints must use https://.")
  return { url, hostname, address: first.address, family: first.family === 6 ? 6 : 4 }
}

/** A `lookup` that answers the checked address whatever the name, as node's net asks for it. */
const pinned =
  (address: string, family: 4 | 6): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all)
      (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }])
    else callback(null, address, family)
  }

/** POST the signed body to the resolved target; resolves with the answer's status. */
export const postSigned = (
  target: ResolvedTarget,
  request: { readonly secret: string; readonly id: string; readonly timestampSeconds: number; readonly body: string },
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<number> =>
  new Promise((resolve, reject) => {
    const signature = new Webhook(request.secret).sign(
      request.id,
      new Date(request.timestampSeconds * 1000),
      request.body,
    )
    const client = target.url.protocol === "https:" ? https : http
    const req = client.request(
      target.url,
      {
        method: "POST",
        lookup: pinned(target.address, target.family),
        ...(target.url.protocol === "https:" && !ipaddr.isValid(target.hostname)
          ? { servername: target.hostname }
          : {}),
        headers: {
          "content-type": "application/json",
          "user-agent": "portal-webhooks/1",
          "webhook-id": request.id,
          "webhook-timestamp": String(request.timestampSeconds),
          "webhook-signature": signature,
        },
        signal: AbortSignal.timeout(timeoutMs),
        agent: false,
      },
      (res) => {
        let read = 0
        res.on("data", (chunk: Buffer) => {
          read += chunk.length
          if (read > 65_536) res.destroy()
        })
        res.on("end", () => resolve(res.statusCode ?? 0))
        res.on("close", () => resolve(res.statusCode ?? 0))
        res.on("error", () => resolve(res.statusCode ?? 0))
      },
    )
    req.on("error", reject)
    req.end(request.body)
  })

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300)

export const makeWebhookSender = (options: SenderOptions): WebhookSenderShape => ({
  check: (url) =>
    Effect.tryPromise({
      try: () => resolveTarget(url, options),
      catch: (e) => (e instanceof WebhookTargetRefused ? e : refused("webhook_url_unresolvable", messageOf(e))),
    }).pipe(Effect.asVoid),
  send: (request) =>
    Effect.gen(function* () {
      const target = yield* Effect.tryPromise({
        try: () => resolveTarget(request.url, options),
        catch: (e) => (e instanceof WebhookTargetRefused ? e : refused("webhook_url_unresolvable", messageOf(e))),
      })
      const status = yield* Effect.tryPromise({
        try: () => postSigned(target, request, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
        catch: (e) =>
          new WebhookSendFailed({
            message: e instanceof Error && e.name === "TimeoutError" ? "timed out" : messageOf(e),
          }),
      })
      return { status }
    }),
})
