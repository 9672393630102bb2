/**
 * Generates a 100,000-ticket workspace document with threads (3 messages each, one of them an
 * internal comment; an attachment every 50 tickets; a note every 10) and measures
 * WorkspaceStore.importDocument (one transaction, batched unnest() inserts) on the PostgreSQL
 * server and on embedded PGlite (a temporary data folder), plus a re-import and an export.
 * Attachment ids come from core's import use-case step (`issueAttachmentIds`, random UUIDs), new
 * ones for the re-import as `portal import` would give.
 * Run: pnpm --filter @portal/storage-postgres bench:import   (TICKETS=… to change the size)
 * `--write FILE` writes the document to FILE as a stream instead (writeDocument), for
 * `portal import` at scale (docs/storage-postgres-bench.md).
 */
import { randomUUID } from "node:crypto"
import { createWriteStream, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { decodeWorkspaceDocument, type WorkspaceDocument, type WorkspaceId } from "@portal/core/domain"
import { IdGenerator, type ImportSecrets, WorkspaceStore } from "@portal/core/ports"
import { issueAttachmentIds } from "@portal/core/usecases"
import { Effect, Layer, ManagedRuntime } from "effect"
import type { Driver } from "../src/Driver.ts"
import { layerWithDriver } from "../src/Layers.ts"
import { makePgliteDriver } from "../src/PgliteDriver.ts"
import { dropServerDatabase, freshServerDatabase, timed } from "./Setup.ts"

const TICKETS = Number(process.env.TICKETS ?? 100_000)
const randomIds = Layer.succeed(IdGenerator, { next: (prefix) => Effect.sync(() => `${prefix}-${randomUUID()}`) })
/** What the import use-case would hand the store: no passwords here, a new random id per attachment. */
const secretsFor = async (doc: WorkspaceDocument): Promise<ImportSecrets> => ({
  contactPasswordHashes: new Map(),
  agentPasswordHashes: new Map(),
  attachmentIds: await Effect.runPromise(issueAttachmentIds(doc).pipe(Effect.provide(randomIds))),
})

const BASE = Date.parse("2025-01-01T00:00:00Z")
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z")
const pick = <T>(items: ReadonlyArray<T>, i: number): T => items[i % items.length] as T
const SUBJECTS = ["Invoice is wrong", "Cannot log in", "請求書の金額が違います", "ログインできません", "Export fails"]

const contactsFor = (tickets: number) => Math.max(10, Math.floor(tickets / 10))
const companiesFor = (tickets: number) => Math.max(2, Math.floor(tickets / 200))

const ticketAt = (i: number, CONTACTS: number, COMPANIES: number) => {
  const contact = (i * 7919) % CONTACTS
  return {
    id: `t${i}`,
    subject: `${pick(SUBJECTS, i)} #${i}`,
    content: `Details of request ${i}: ${pick(SUBJECTS, i + 1)}`,
    pipelineId: "support",
    stageId: pick(["new", "waiting", "closed"], i),
    ownerId: `u${i % 20}`,
    requesterId: `p${contact}`,
    createdAt: iso(BASE + i * 60_000),
    lastActivityAt: iso(BASE + i * 60_000 + 3_600_000),
    properties: { category: pick(["billing", "bug", "question"], i) },
    contactIds: [`p${contact}`],
    companyIds: [`c${contact % COMPANIES}`],
  }
}

const threadAt = (i: number, CONTACTS: number) => ({
  id: `th${i}`,
  ticketId: `t${i}`,
  channel: "email",
  inboxId: "ib1",
  createdAt: iso(BASE + i * 60_000),
  messages: [
    {
      id: `m${i}a`,
      createdAt: iso(BASE + i * 60_000),
      kind: "message",
      author: { type: "contact", id: `p${(i * 7919) % CONTACTS}` },
      text: `Hello, about request ${i}…`,
      ...(i % 50 === 0
        ? {
            attachments: [
              {
                name: "log.txt",
                contentType: "text/plain",
                dataBase64: Buffer.from(`log ${i}\n`.repeat(20)).toString("base64"),
              },
            ],
          }
        : {}),
    },
    {
      id: `m${i}b`,
      createdAt: iso(BASE + i * 60_000 + 1_800_000),
      kind: "comment",
      author: { type: "agent", id: `u${i % 20}` },
      text: "Internal: checking",
    },
    {
      id: `m${i}c`,
      createdAt: iso(BASE + i * 60_000 + 3_600_000),
      kind: "message",
      author: { type: "agent", id: `u${i % 20}` },
      text: `Answer ${i}`,
    },
  ],
})

/** The document's sections in order, each a count and the record at an index. */
const sections = (tickets: number): ReadonlyArray<readonly [string, number, (i: number) => unknown]> => {
  const CONTACTS = contactsFor(tickets)
  const COMPANIES = companiesFor(tickets)
  return [
    ["companies", COMPANIES, (i) => ({ id: `c${i}`, name: `Company ${i}` })],
    [
      "contacts",
      CONTACTS,
      (i) => ({
        id: `p${i}`,
        email: `p${i}@bench.test`,
        firstName: `First${i}`,
        lastName: "Last",
        primaryCompanyId: `c${i % COMPANIES}`,
      }),
    ],
    ["tickets", tickets, (i) => ticketAt(i, CONTACTS, COMPANIES)],
    ["threads", tickets, (i) => threadAt(i, CONTACTS)],
    [
      "notes",
      Math.floor(tickets / 10),
      (i) => ({
        id: `n${i}`,
        ticketId: `t${i * 10}`,
        authorId: `u${i % 20}`,
        createdAt: iso(BASE + i * 600_000),
        text: "note",
      }),
    ],
  ]
}

/** Everything but the sections of `sections`. */
const headOf = (tickets: number) => ({
  format: "portal-workspace/v1",
  workspace: { id: "bench", name: "Bench Inc." },
  domains: [{ host: "bench.localhost", language: "en" }],
  agents: Array.from({ length: 20 }, (_, i) => ({
    id: `u${i}`,
    name: `Agent ${i}`,
    email: `u${i}@bench.test`,
    permissions: [],
  })),
  lists: [
    {
      id: "l1",
      name: "Priority",
      contactIds: Array.from({ length: Math.min(100, contactsFor(tickets)) }, (_, i) => `p${i}`),
    },
  ],
  pipelines: [
    {
      id: "support",
      label: "Support",
      stages: [
        { id: "new", label: "New", state: "open" },
        { id: "waiting", label: "Waiting", state: "open" },
        { id: "closed", label: "Closed", state: "closed" },
      ],
    },
  ],
  inboxes: [{ id: "ib1", name: "Support inbox", kind: "helpdesk" }],
  forms: [],
  portal: {
    enabled: true,
    pageTitle: "Bench",
    slug: "tickets",
    access: { method: "membership", registration: "self" },
    consent: { noticeText: "We process your data.", checkboxLabel: "I agree" },
    ticketScope: "company",
    ticketFilters: [],
    actions: { allowReplyToClosed: false, allowClose: true },
    defaultInboxId: "ib1",
    statusDisplay: "openClosed",
    supportForm: null,
    navigation: [],
    idleTimeoutMinutes: 60,
  },
})

/** The whole document in memory (up to some 100,000 tickets). */
export const generate = (tickets: number): unknown => {
  const { portal, ...head } = headOf(tickets)
  return {
    ...head,
    ...Object.fromEntries(sections(tickets).map(([key, n, at]) => [key, Array.from({ length: n }, (_, i) => at(i))])),
    portal,
  }
}

/**
 * The same document written to `path` as it is generated (compact JSON, a record at a time),
 * so a 1,000,000-ticket document (about 1 GB) never exists in memory: TICKETS=1000000
 * `tsx bench/import.ts --write FILE`.
 */
export const writeDocument = async (path: string, tickets: number): Promise<number> => {
  const out = createWriteStream(path)
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()))
  const { portal, ...head } = headOf(tickets)
  await write(JSON.stringify(head).slice(0, -1))
  for (const [key, n, at] of sections(tickets)) {
    await write(`,${JSON.stringify(key)}:[`)
    let chunk = ""
    for (let i = 0; i < n; i++) {
      chunk += (i === 0 ? "" : ",") + JSON.stringify(at(i))
      if (chunk.length > 1 << 16) {
        await write(chunk)
        chunk = ""
      }
    }
    await write(`${chunk}]`)
  }
  await write(`,"portal":${JSON.stringify(portal)}}\n`)
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())))
  return out.bytesWritten
}

const measure = async (label: string, driver: Driver, doc: WorkspaceDocument) => {
  const runtime = ManagedRuntime.make(layerWithDriver(driver))
  const store = (f: (s: WorkspaceStore["Service"]) => Effect.Effect<unknown, unknown>) =>
    runtime.runPromise(WorkspaceStore.use(f))
  try {
    const [firstSecrets, againSecrets] = [await secretsFor(doc), await secretsFor(doc)]
    const first = await timed(`${label}: importDocument (empty workspace)`, () =>
      store((s) => s.importDocument(doc, firstSecrets)),
    )
    const again = await timed(`${label}: importDocument (replacing it)`, () =>
      store((s) => s.importDocument(doc, againSecrets)),
    )
    await timed(`${label}: exportDocument`, () => store((s) => s.exportDocument("bench" as WorkspaceId)))
    const [rows] = await driver.query(
      "SELECT (SELECT count(*) FROM tickets) AS tickets, (SELECT count(*) FROM messages) AS messages, pg_size_pretty(pg_database_size(current_database())) AS size",
    )
    console.log(`${label}: stored ${rows?.tickets} tickets, ${rows?.messages} messages; database ${rows?.size}`)
    return { first: first.ms, again: again.ms }
  } finally {
    await runtime.dispose()
  }
}

const main = async () => {
  const target = process.argv.indexOf("--write")
  if (target !== -1) {
    const path = process.argv[target + 1] ?? "bench-document.json"
    const { value: bytes } = await timed(`write ${TICKETS} tickets to ${path}`, () => writeDocument(path, TICKETS))
    console.log(`${(bytes / 1e6).toFixed(1)} MB`)
    return
  }
  const { value: raw } = await timed(`generate ${TICKETS} tickets`, async () => generate(TICKETS))
  const { value: doc } = await timed("decode and check (core)", () => Effect.runPromise(decodeWorkspaceDocument(raw)))
  console.log(
    `document: ${doc.tickets.length} tickets, ${doc.threads.length} threads, ${doc.threads.length * 3} messages, ${doc.contacts.length} contacts, ${(JSON.stringify(raw).length / 1e6).toFixed(1)} MB of JSON`,
  )

  const server = await freshServerDatabase("portal_bench_import")
  try {
    await measure("server", server.driver, doc)
  } finally {
    await server.driver.close()
    await dropServerDatabase("portal_bench_import")
  }
  if (process.env.SKIP_PGLITE === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "portal-bench-pglite-"))
    const driver = await makePgliteDriver(dir)
    try {
      await measure("PGlite", driver, doc)
    } finally {
      await driver.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

if (process.argv[1]?.endsWith("import.ts")) await main()
