/**
 * P-VIS-4 "same timing class", measured: over real HTTP on loopback, against the real server on the
 * in-memory store with the demo workspace (the test world), Ken (ken@globex.test, Globex) asks for
 * a ticket / file he may see, one that exists but he may not see, and one that does not exist, all
 * interleaved in random order. Prints median / p90 / p99 per case and, for invisible vs missing,
 * the difference of medians and a Mann–Whitney U z-score (|z| < ~2: not distinguishable at this N).
 * Every attachment id is random ("att-<uuid>", imported ones too), so the ids of files Ken is not
 * shown are read from the store; the old guessable form of an imported id (`m2#0`) is now just a
 * missing id, and is timed as one.
 *
 *   pnpm --filter @portal/server run bench:visibility      (N=300 per case; BENCH_N overrides, ≤ 5000)
 *
 * A benchmark, not a test: it only fails if a status is not the expected one.
 */
import { randomUUID } from "node:crypto"
import { performance } from "node:perf_hooks"
import { type Client, data, type HttpResponse } from "../test/support/Http.ts"
import { ACME_TOKEN, CUSTOMER_PASSWORD, startWorld } from "../test/support/World.ts"
import { mannWhitney, quantile, shuffle } from "./stats.ts"

const N = Math.min(Math.max(Number(process.env.BENCH_N ?? 300) || 300, 10), 5000)
const WARMUP = 30
// The whole run is bounded; if anything hangs, exit instead of waiting forever. Every refused
// download waits for the 50 ms floor (REFUSAL_FLOOR_MS), about 0.25 s per round of all cases.
const GUARD_MS = Math.max(300_000, (N + WARMUP) * 400)
setTimeout(() => {
  console.error(`bench: timed out after ${Math.round(GUARD_MS / 60_000)} minutes`)
  process.exit(2)
}, GUARD_MS).unref()

interface Case {
  readonly name: string
  readonly expect: number
  readonly run: (c: Client) => Promise<HttpResponse>
}

const main = async () => {
  // Also a file Ken may not see on a ticket he does see: an attachment on m2, an internal comment
  // on t1 (P-COM-3). Its refusal reads a visible ticket's real rows, so it costs a little more.
  const world = await startWorld({
    edit: (acme) => {
      const m2 = acme.threads
        .find((t: { id: string }) => t.id === "th1")
        .messages.find((m: { id: string }) => m.id === "m2")
      m2.attachments = [{ name: "internal.txt", contentType: "text/plain", dataBase64: "aW50ZXJuYWw=" }]
    },
  })
  try {
    // An attachment Ken may not see: an agent's reply with a file on t5 (Initech, Mia's ticket),
    // posted through the integration API; its id is read back from Mia's own view of t5.
    const api = world.client()
    const bearer = { authorization: `Bearer ${ACME_TOKEN}` }
    const posted = await api.mutate(
      "integration.messages.create",
      {
        ticketId: "t5",
        agentId: "u1",
        text: "Refund receipt attached.",
        attachments: [{ name: "receipt.txt", contentType: "text/plain", dataBase64: "cmVjZWlwdA==" }],
        idempotencyKey: "bench-visibility-timing",
      },
      bearer,
    )
    if (posted.status !== 200) throw new Error(`integration.messages.create: ${posted.status} ${posted.text}`)
    const mia = world.client()
    await mia.signIn("mia@initech.test", CUSTOMER_PASSWORD)
    const miaT5 = data(await mia.query("tickets.get", { ticketId: "t5" }))
    const hiddenFile: string = miaT5.messages
      .flatMap((m: { attachments: { id: string }[] }) => m.attachments)
      .at(-1)?.id
    if (hiddenFile === undefined) throw new Error("no attachment on t5")

    // The comment's file has a random id Ken is never shown: read it from the store.
    const commentFile = [...(world.db?.state.workspaces.get("acme")?.attachments.values() ?? [])].find(
      (a) => a.messageId === "m2",
    )?.id
    if (commentFile === undefined) throw new Error("no attachment on m2")

    const ken = world.client("localhost")
    await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
    const kenT1 = data(await ken.query("tickets.get", { ticketId: "t1" }))
    const visibleFile: string = kenT1.messages.flatMap((m: { attachments: { id: string }[] }) => m.attachments)[0]?.id
    if (visibleFile === undefined) throw new Error("no attachment on t1")

    // A made-up id of the same shape as the real one, so the id's form cannot tell them apart.
    const missingFile = `att-${randomUUID()}`
    const get = (ticketId: string) => (c: Client) => c.query("tickets.get", { ticketId })
    const file = (id: string) => (c: Client) => c.request(`/files/${encodeURIComponent(id)}`)
    const cases: ReadonlyArray<Case> = [
      { name: "tickets.get visible (t1)", expect: 200, run: get("t1") },
      { name: "tickets.get invisible (t5, other company)", expect: 404, run: get("t5") },
      { name: "tickets.get invisible (t8, internal pipeline)", expect: 404, run: get("t8") },
      { name: "tickets.get missing (t404)", expect: 404, run: get("t404") },
      { name: "/files visible (att-…, m1 on t1)", expect: 200, run: file(visibleFile) },
      { name: "/files invisible (att-…, on t5)", expect: 404, run: file(hiddenFile) },
      { name: "/files invisible (att-…, comment m2 on t1)", expect: 404, run: file(commentFile) },
      { name: "/files missing (att-<random uuid>)", expect: 404, run: file(missingFile) },
      { name: "/files missing (m2#0, the old guessable id)", expect: 404, run: file("m2#0") },
    ]
    const samples: number[][] = cases.map(() => [])
    const record = async (i: number, keep: boolean) => {
      const c = cases[i] as Case
      const t0 = performance.now()
      const res = await c.run(ken)
      const ms = performance.now() - t0
      if (res.status !== c.expect) throw new Error(`${c.name}: expected ${c.expect}, got ${res.status} ${res.text}`)
      if (keep) samples[i]?.push(ms)
    }
    const order = (reps: number) => shuffle(cases.flatMap((_, i) => Array.from({ length: reps }, () => i)))
    for (const i of order(WARMUP)) await record(i, false)
    for (const i of order(N)) await record(i, true)

    const f = (x: number) => x.toFixed(3).padStart(8)
    console.log(`P-VIS-4 timing, Node ${process.version}, N=${N} per case (after ${WARMUP} warm-up), loopback HTTP, ms`)
    console.log(`${"case".padEnd(46)}  median       p90       p99`)
    const sorted = samples.map((s) => [...s].sort((x, y) => x - y))
    cases.forEach((c, i) => {
      const s = sorted[i] as number[]
      console.log(`${c.name.padEnd(46)}${f(quantile(s, 0.5))}  ${f(quantile(s, 0.9))}  ${f(quantile(s, 0.99))}`)
    })
    console.log(
      "\ninvisible vs missing: Δmedian (invisible − missing) and Mann–Whitney z (|z| ≥ 1.96: distinguishable)",
    )
    // The last pair is a customer's probe with the old id scheme: missing vs missing now.
    for (const [inv, miss] of [
      [1, 3],
      [2, 3],
      [5, 7],
      [6, 7],
      [8, 7],
    ] as const) {
      const d = quantile(sorted[inv] as number[], 0.5) - quantile(sorted[miss] as number[], 0.5)
      const { z } = mannWhitney(samples[inv] as number[], samples[miss] as number[])
      console.log(
        `${`${(cases[inv] as Case).name} vs ${(cases[miss] as Case).name.replace(/^\S+ missing /, "")}`.padEnd(68)} Δ ${d >= 0 ? "+" : ""}${d.toFixed(3)} ms   z = ${z.toFixed(2)}`,
      )
    }
  } finally {
    await world.close()
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e)
    process.exit(1)
  },
)
