/**
 * Writes racing each other on both drivers (on the server they really overlap, on PGlite they
 * queue): the same idempotency key sent twice at once stores one message; replies to one ticket
 * get distinct, gap-free event numbers (continuing the
 * workspace's sequence); two imports of one workspace at once both succeed and
 * leave exactly one of the two documents.
 */
import { readFileSync } from "node:fs"
import type { IsoTime, WorkspaceId } from "@portal/core/domain"
import { type ReplyCommand, TicketStore, WorkspaceStore } from "@portal/core/ports"
import { importWorkspace } from "@portal/core/usecases"
import { layerSystemTest } from "@portal/storage-memory"
import { Effect, Option } from "effect"
import { expect, it } from "vitest"
import { sqlBackdoor } from "../src/Backdoor.ts"
import { eachDriver, runOn } from "./support/Drivers.ts"

const acme = JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8"))
const ws = acme.workspace.id as WorkspaceId
const importAcme = (doc: unknown) => importWorkspace(doc).pipe(Effect.provide(layerSystemTest()))

const reply = (n: number, key: string): ReplyCommand => ({
  workspaceId: ws,
  ticketId: "t1" as ReplyCommand["ticketId"],
  thread: { _tag: "Existing", threadId: "th1" as never },
  message: {
    id: `race-m${n}` as never,
    createdAt: `2026-11-01T10:00:0${n}Z` as IsoTime,
    author: { type: "contact", id: "p1" as never },
    text: `race ${n}`,
    attachments: [],
  },
  idempotency: { scope: "contact:p1/reply", key, fingerprint: "same reply" },
  eventId: `race-e${n}`,
})

eachDriver("concurrent writes", (shared) => {
  it("the same idempotency key sent twice at once stores one message", async () => {
    const driver = await shared.get()
    await runOn(driver, importAcme(acme))
    const results = await Promise.all(
      [1, 2].map((n) =>
        runOn(
          driver,
          TicketStore.use((s) => s.reply(reply(n, "same-key"))),
        ),
      ),
    )
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true])
    expect(results[0]?.messageId).toBe(results[1]?.messageId)
    const messages = await driver.query(
      "SELECT message_id FROM messages WHERE workspace_id = $1 AND message_id LIKE 'race-%'",
      [ws],
    )
    expect(messages).toHaveLength(1)
    expect(await sqlBackdoor(driver).countRows("events", ws)).toBe(1)
  })

  it("replies racing on one ticket all land, numbered without gaps", async () => {
    const driver = await shared.get()
    await runOn(driver, importAcme(acme))
    // A re-import keeps the sequence (the feed never repeats a number): count on from it.
    const [row] = await driver.query("SELECT event_sequence::int AS n FROM workspaces WHERE workspace_id = $1", [ws])
    const start = Number(row?.n)
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        runOn(
          driver,
          TicketStore.use((s) => s.reply(reply(n, `key-${n}`))),
        ),
      ),
    )
    const events = await runOn(
      driver,
      TicketStore.use((s) => s.events(ws, 0, 100)),
    )
    expect(events.map((e) => e.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5].map((n) => start + n))
    expect(new Set(events.map((e) => e.id)).size).toBe(5)
  })

  it("two imports of one workspace at once both succeed and leave one whole document", async () => {
    const driver = await shared.get()
    const small = { ...acme, tickets: acme.tickets.slice(0, 2), threads: [], notes: [] }
    await Promise.all([runOn(driver, importAcme(acme)), runOn(driver, importAcme(small))])
    const exported = await runOn(
      driver,
      WorkspaceStore.use((s) => s.exportDocument(ws)),
    )
    const tickets = Option.getOrThrow(exported).tickets.length
    expect([acme.tickets.length, 2]).toContain(tickets)
    expect(await sqlBackdoor(driver).countRows("tickets", ws)).toBe(tickets)
  })
})
