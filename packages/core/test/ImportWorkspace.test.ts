import { readFileSync } from "node:fs"
import { Effect, Exit, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import type { WorkspaceDocument } from "../src/domain/index.ts"
import { IdGenerator, type ImportSecrets, PasswordHasher, WorkspaceStore } from "../src/ports/index.ts"
import { exportWorkspace, importWorkspace } from "../src/usecases/index.ts"

const demo = () => JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8"))

/** A store stub that records what it was given and exports what it holds. */
const stubs = () => {
  const imported: Array<{ doc: WorkspaceDocument; secrets: ImportSecrets }> = []
  const store = Layer.succeed(WorkspaceStore, {
    findByHost: () => Effect.succeed(Option.none()),
    catalog: () => Effect.succeed(Option.none()),
    listWorkspaceIds: () => Effect.succeed(imported.map((i) => i.doc.workspace.id)),
    importDocument: (doc, secrets) => Effect.sync(() => void imported.push({ doc, secrets })),
    exportDocument: (id) =>
      Effect.succeed(Option.fromUndefinedOr(imported.findLast((i) => i.doc.workspace.id === id)?.doc)),
    // Not used by import or export.
    agentPasswordHash: () => Effect.die("unused"),
    upsertAgent: () => Effect.die("unused"),
    setDomains: () => Effect.die("unused"),
    setBranding: () => Effect.die("unused"),
    upsertCompany: () => Effect.die("unused"),
    upsertList: () => Effect.die("unused"),
  })
  const hasher = Layer.succeed(PasswordHasher, {
    hash: (p) => Effect.succeed(`hashed:${p}`),
    verify: (h, p) => Effect.succeed(h === `hashed:${p}`),
  })
  // Ids as a random generator would give them, recorded in the order they were asked for.
  const issued: Array<string> = []
  let counter = 0
  const ids = Layer.succeed(IdGenerator, {
    next: (prefix) =>
      Effect.sync(() => {
        // A counter, not random: "att-000007" can never contain a message id by chance.
        counter += 1
        const id = `${prefix}-${String(counter).padStart(6, "0")}`
        issued.push(id)
        return id
      }),
  })
  return { imported, issued, layer: Layer.mergeAll(store, hasher, ids) }
}

describe("importWorkspace / exportWorkspace", () => {
  it("hashes every plain password and stores a document without them", async () => {
    const { imported, layer } = stubs()
    const raw = demo()
    const summary = await Effect.runPromise(Effect.provide(importWorkspace(raw), layer))
    expect(summary.workspaceId).toBe("acme")
    expect(summary.counts.tickets).toBe(raw.tickets.length)
    expect(imported).toHaveLength(1)
    const { doc, secrets } = imported[0]!
    expect(JSON.stringify(doc)).not.toContain("demo-2026")
    expect(doc.contacts.every((c) => !("password" in c)) && doc.agents.every((a) => !("password" in a))).toBe(true)
    const withPassword = raw.contacts.filter((c: { password?: string }) => c.password !== undefined)
    expect(withPassword.length).toBeGreaterThan(0)
    for (const c of withPassword) expect(secrets.contactPasswordHashes.get(c.id)).toBe(`hashed:${c.password}`)
    expect(secrets.contactPasswordHashes.size).toBe(withPassword.length)
    expect(secrets.agentPasswordHashes.get("u1")).toBe(`hashed:${raw.agents[0].password}`)
    expect(summary.counts.passwords).toBe(secrets.contactPasswordHashes.size + secrets.agentPasswordHashes.size)
  })

  it("P-VIS-4: gives every attachment a new id from IdGenerator, by message and index, never the message id", async () => {
    const { imported, issued, layer } = stubs()
    const raw = demo()
    const m1 = raw.threads[0].messages[0]
    m1.attachments = [m1.attachments[0], { ...m1.attachments[0], name: "second.pdf" }]
    type RawMessage = { id: string; attachments?: Array<unknown> }
    const files = raw.threads.flatMap((t: { messages: Array<RawMessage> }) =>
      t.messages.flatMap((m) => (m.attachments ?? []).map((_, i) => [m.id, i] as const)),
    ) as Array<readonly [string, number]>
    expect(files.length).toBeGreaterThanOrEqual(3)
    const summary = await Effect.runPromise(Effect.provide(importWorkspace(raw), layer))
    expect(imported).toHaveLength(1)
    const attachmentIds = imported[0]?.secrets.attachmentIds ?? new Map()
    const given = files.map(([m, i]) => attachmentIds.get(m)?.[i])
    // Exactly one id per attachment, each one asked of IdGenerator ("att-…", like a reply's) …
    expect(given).toEqual(issued)
    expect([...attachmentIds.values()].flat()).toHaveLength(files.length)
    expect(issued.every((id) => id.startsWith("att-"))).toBe(true)
    // … and none of them says which message it belongs to.
    for (const [m] of files) for (const id of attachmentIds.get(m) ?? []) expect(id).not.toContain(m)
    expect([...attachmentIds.keys()].every((m) => files.some(([f]) => f === m))).toBe(true)
    expect(summary.counts.attachments).toBe(files.length)
    // A second import of the same document: new ids (a re-import replaces the workspace's files).
    await Effect.runPromise(Effect.provide(importWorkspace(demo()), layer))
    const again = [...(imported[1]?.secrets.attachmentIds.values() ?? [])].flat()
    expect(again).toHaveLength(2)
    expect(again.some((id) => given.includes(id))).toBe(false)
  })

  it("writes nothing for an invalid document", async () => {
    const { imported, layer } = stubs()
    const raw = demo()
    raw.tickets[0].pipelineId = "nope"
    const exit = await Effect.runPromiseExit(Effect.provide(importWorkspace(raw), layer))
    expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))?._tag).toBe("InvalidDocument")
    expect(imported).toHaveLength(0)
  })

  it("P-HOOK-1, P-SEC-7: writes nothing for two webhook endpoints with one id, and names the second", async () => {
    const { imported, layer } = stubs()
    const raw = demo()
    const endpoint = {
      id: "wh1",
      url: "https://hooks.example.test/a",
      events: ["ticket.created"],
      secret: `whsec_${"Zm9v".repeat(8)}`,
    }
    raw.webhooks = [endpoint, { ...endpoint, url: "https://hooks.example.test/b" }]
    const exit = await Effect.runPromiseExit(Effect.provide(importWorkspace(raw), layer))
    expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))).toMatchObject({
      _tag: "InvalidDocument",
      issues: [expect.stringMatching(/^webhooks\.1\.id: /)],
    })
    expect(imported).toHaveLength(0)
  })

  it("writes nothing for a branding the portal could not render safely, or an unknown time zone", async () => {
    const { imported, layer } = stubs()
    const raw = demo()
    raw.workspace.branding = { logoUrl: "javascript:alert(1)" }
    raw.portal.timeZone = "Mars/Olympus"
    const exit = await Effect.runPromiseExit(Effect.provide(importWorkspace(raw), layer))
    expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))).toMatchObject({
      _tag: "InvalidDocument",
      issues: [expect.stringMatching(/^workspace\.branding\.logoUrl: /), expect.stringMatching(/^portal\.timeZone: /)],
    })
    expect(imported).toHaveLength(0)
  })

  it("exports the stored document as JSON, passwords left out", async () => {
    const { layer } = stubs()
    const raw = demo()
    const exported = await Effect.runPromise(
      Effect.provide(
        Effect.flatMap(importWorkspace(raw), () => exportWorkspace("acme")),
        layer,
      ),
    )
    const expected = demo()
    for (const p of [...expected.contacts, ...expected.agents]) delete p.password
    expect(exported).toEqual(expected)
  })

  it("fails with WorkspaceNotFound for an unknown workspace", async () => {
    const { layer } = stubs()
    const exit = await Effect.runPromiseExit(Effect.provide(exportWorkspace("nope"), layer))
    expect(Exit.isFailure(exit) && Option.getOrUndefined(Exit.findErrorOption(exit))).toMatchObject({
      _tag: "WorkspaceNotFound",
      key: "nope",
    })
  })
})
