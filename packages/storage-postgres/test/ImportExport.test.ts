/**
 * Whole-document import and export on both drivers: the demo workspaces round-trip, a re-import
 * replaces the workspace, and a document that is invalid (or fails half-way in the database)
 * writes nothing at all, proven by every table's raw row count.
 */
import { readFileSync } from "node:fs"
import {
  exportWorkspace,
  InvalidDocument,
  importWorkspace,
  StorageError,
  type WorkspaceId,
  WorkspaceStore,
} from "@portal/core"
import { layerSystemTest } from "@portal/storage-memory"
import { Effect } from "effect"
import { expect, it } from "vitest"
import { sqlBackdoor, tableCounts } from "../src/Backdoor.ts"
import { eachDriver, failureOn, runOn } from "./support/Drivers.ts"

type Rows = Array<Record<string, unknown>>
/** A document as parsed JSON, typed only as far as the tests look into it. */
interface RawDoc {
  readonly [key: string]: unknown
  readonly workspace: { readonly id: string; readonly name: string }
  readonly agents: Rows
  readonly contacts: Rows
  readonly tickets: Rows
  readonly notes: Rows
}

const demo = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../demo/${file}`, import.meta.url), "utf8")) as RawDoc

/** The demo as export gives it back: passwords are never exported. */
const withoutPasswords = (doc: RawDoc) => ({
  ...doc,
  agents: doc.agents.map(({ password: _, ...a }: Record<string, unknown>) => a),
  contacts: doc.contacts.map(({ password: _, ...c }: Record<string, unknown>) => c),
})

const importRaw = (raw: unknown) => importWorkspace(raw).pipe(Effect.provide(layerSystemTest()))

eachDriver("import and export", (shared) => {
  for (const file of ["acme.en.json", "sakura.ja.json"]) {
    it(`round-trips the demo ${file}`, async () => {
      const driver = await shared.get()
      const raw = demo(file)
      const summary = await runOn(driver, importRaw(raw))
      expect(summary.counts.tickets).toBe(raw.tickets.length)
      const exported = await runOn(driver, exportWorkspace(raw.workspace.id))
      expect(exported).toEqual(withoutPasswords(raw))
      // Passwords were hashed on import, and stored as hashes only.
      const [row] = await driver.query(
        "SELECT password_hash FROM contacts WHERE workspace_id = $1 AND contact_id = 'p1'",
        [raw.workspace.id],
      )
      expect(row?.password_hash).toMatch(/^test-only\$/)
    })
  }

  it("an import leaves the planner statistics of the ticket tables fresh (no autovacuum on PGlite)", async () => {
    const driver = await shared.get()
    const acme = demo("acme.en.json")
    await runOn(driver, importRaw({ ...acme, workspace: { ...acme.workspace, id: "stats-ws" }, domains: [] }))
    // reltuples is -1 for a table never analyzed or vacuumed; after the import it counts its rows.
    const rows = await driver.query(
      "SELECT relname, reltuples FROM pg_class WHERE relname IN ('tickets', 'ticket_contacts', 'messages', 'stages') ORDER BY relname",
    )
    // `stages` too: without its statistics the status filter's plan scans the whole workspace.
    expect(rows.map((r) => r.relname)).toEqual(["messages", "stages", "ticket_contacts", "tickets"])
    for (const row of rows) expect(Number(row.reltuples), String(row.relname)).toBeGreaterThan(0)
  })

  it("re-importing replaces the workspace and leaves the others alone", async () => {
    const driver = await shared.get()
    const acme = demo("acme.en.json")
    const sakura = demo("sakura.ja.json")
    await runOn(driver, importRaw(acme))
    await runOn(driver, importRaw(sakura))
    const sakuraBefore = await tableCountsOf(driver, sakura.workspace.id)
    const smaller = { ...acme, tickets: acme.tickets.slice(0, 2), threads: [], notes: [] }
    await runOn(driver, importRaw(smaller))
    const backdoor = sqlBackdoor(driver)
    expect(await backdoor.countRows("tickets", acme.workspace.id)).toBe(2)
    expect(await backdoor.countRows("messages", acme.workspace.id)).toBe(0)
    expect(await backdoor.countRows("blobs", acme.workspace.id)).toBe(0)
    expect(await tableCountsOf(driver, sakura.workspace.id)).toEqual(sakuraBefore)
    expect(await runOn(driver, exportWorkspace(acme.workspace.id))).toEqual(withoutPasswords(smaller))
  })

  it("an invalid document changes nothing and says where it is wrong", async () => {
    const driver = await shared.get()
    const acme = demo("acme.en.json")
    await runOn(driver, importRaw(acme))
    const before = await tableCounts(driver)
    const unknownField = { ...acme, tickets: [{ ...acme.tickets[0], colour: "red" }, ...acme.tickets.slice(1)] }
    const error = await failureOn(driver, importRaw(unknownField))
    expect(error).toBeInstanceOf(InvalidDocument)
    expect(String((error as InvalidDocument).message)).toMatch(/colour/)
    const dangling = { ...acme, tickets: [{ ...acme.tickets[0], pipelineId: "nope" }, ...acme.tickets.slice(1)] }
    const refError = await failureOn(driver, importRaw(dangling))
    expect((refError as InvalidDocument).issues.join("\n")).toMatch(/ticket "t1" references missing pipeline "nope"/)
    expect(await tableCounts(driver)).toEqual(before)
  })

  it("a document the database refuses half-way is rolled back whole", async () => {
    const driver = await shared.get()
    const acme = demo("acme.en.json")
    await runOn(driver, importRaw(acme))
    const before = await tableCounts(driver)
    const exportedBefore = await runOn(driver, exportWorkspace(acme.workspace.id))
    // Valid for the document schema, refused by PostgreSQL at the very last insert (notes):
    // text cannot hold NUL. Everything written before it must be rolled back.
    const refused = {
      ...acme,
      workspace: { ...acme.workspace, name: "Changed" },
      notes: [{ ...acme.notes[0], text: "bad \u0000 byte" }],
    }
    const error = await failureOn(driver, importRaw(refused))
    expect(error).toBeInstanceOf(StorageError)
    expect(await tableCounts(driver)).toEqual(before)
    expect(await runOn(driver, exportWorkspace(acme.workspace.id))).toEqual(exportedBefore)
  })

  it("export of a workspace that does not exist is none", async () => {
    const driver = await shared.get()
    const found = await runOn(
      driver,
      WorkspaceStore.use((s) => s.exportDocument("missing" as WorkspaceId)),
    )
    expect(found._tag).toBe("None")
  })
})

const tableCountsOf = async (driver: Parameters<typeof tableCounts>[0], workspaceId: string) => {
  const backdoor = sqlBackdoor(driver)
  const kinds = ["contacts", "tickets", "threads", "messages", "attachments", "notes", "domains", "blobs"] as const
  return Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, await backdoor.countRows(k, workspaceId)])))
}
