/**
 * Capturing the baselines' plans (baseline.ts) from the portal: one request of each kind with the
 * statement recorder on; the statements the portal sent and the body it answered.
 */
import { createHash } from "node:crypto"
import type { Plan } from "./baseline.ts"
import { send } from "./client.ts"
import type { Statement } from "./recording.ts"

export interface Captured {
  readonly plan: Plan
  /** The portal's answer (the baselines must give the same bytes). */
  readonly body: Buffer
}

export const sessionHashOf = (cookie: string): string =>
  createHash("sha256")
    .update(decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)), "utf8")
    .digest("hex")

export const capture = async (
  port: number,
  record: (f: () => Promise<unknown>) => Promise<ReadonlyArray<Statement>>,
  cookie: string,
  kind: Plan["kind"],
  url: string,
  limit = 25,
): Promise<Captured> => {
  let body: Buffer = Buffer.alloc(0)
  const statements = await record(async () => {
    const res = await send(port, "GET", url, cookie)
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${res.body.toString().slice(0, 300)}`)
    body = res.body
  })
  return { plan: { url, kind, statements, sessionHash: sessionHashOf(cookie), limit }, body }
}

/** Where two answers first differ, for the error message. */
export const firstDifference = (a: Buffer, b: Buffer): string => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return `byte ${i}: ${JSON.stringify(a.subarray(Math.max(0, i - 60), i + 60).toString())} vs ${JSON.stringify(b.subarray(Math.max(0, i - 60), i + 60).toString())}`
}
