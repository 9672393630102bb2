/**
 * Loads a whole `portal-workspace/v1` document in the caller's transaction: every row of the
 * workspace is deleted first (consents, events and idempotency keys included, as in the memory
 * reference), then every kind is written with batched unnest() inserts. What is kept: the event
 * sequence (the feed never repeats a number), the settings version (it moves on, so a save based
 * on the old settings conflicts), and the stores keyed outside a document (sessions, tokens).
 * Attachments get exactly the ids the import use-case chose (ImportSecrets.attachmentIds: the
 * document's own, or random ones); one without an id fails the import. Blob keys are internal and
 * stay `import/<messageId>/<index>`. Logins are the hashes in ImportSecrets; consents come from
 * `contacts[].consents`, in order. A host another workspace serves rolls the import back with
 * Conflict naming the host, whether seen first or lost in a race at the `domains_host` index.
 */
import type { WorkspaceDocument } from "@portal/core/domain"
import { Conflict, type ImportSecrets } from "@portal/core/ports"
import { arrayLiteral, type BulkColumn, insertRows, msOf } from "./Bulk.ts"
import type { Queryable } from "./Driver.ts"
import { Abort, isUniqueViolation } from "./Errors.ts"
import { emailKey, hostKey } from "./stores/Rows.ts"
import { loadWebhooks } from "./stores/WebhookStore.ts"

/** The tables a document fills, in the order they are emptied on import. */
export const DOCUMENT_TABLES = [
  "attachments",
  "blobs",
  "messages",
  "threads",
  "notes",
  "ticket_contacts",
  "ticket_companies",
  "ticket_participants",
  "ticket_satisfaction",
  "tickets",
  "idempotency_keys",
  "events",
  "consents",
  "list_members",
  "lists",
  "contacts",
  "companies",
  "agents",
  "forms",
  "inboxes",
  "stages",
  "pipelines",
  "domains",
] as const

const text = (name: string): BulkColumn => ({ name, type: "text" })
const int = (name: string): BulkColumn => ({ name, type: "int4" })
const json = (name: string): BulkColumn => ({ name, type: "text", expr: (v) => `${v}::jsonb` })
const textArray = (name: string): BulkColumn => ({ name, type: "text", expr: (v) => `${v}::text[]` })
const ms = (name: string): BulkColumn => ({ name, type: "int8" })

/** The advisory lock class of imports ("impo"); the key within it is the workspace id's hash. */
const IMPORT_LOCK = 0x696d706f

const importedBlobKey = (messageId: string, index: number) => `import/${messageId}/${index}`

/** Loads a whole parsed document: the streamed import's steps (ImportStream.ts) over its arrays. */
export const loadDocument = async (tx: Queryable, doc: WorkspaceDocument, secrets: ImportSecrets): Promise<void> => {
  const ws = doc.workspace.id
  await clearWorkspace(tx, ws)
  await loadHead(tx, doc, secrets)
  await writeCompanies(tx, ws, doc.companies)
  await writeContacts(tx, ws, doc.contacts, secrets.contactPasswordHashes)
  await writeTickets(tx, ws, doc.tickets)
  await linkTickets(tx, ws)
  await writeThreads(tx, ws, doc.threads, secrets.attachmentIds)
  await writeNotes(tx, ws, doc.notes)
}

/** Takes the workspace's import lock (until the transaction ends) and deletes its rows. */
export const clearWorkspace = async (tx: Queryable, ws: string): Promise<void> => {
  // Two imports of one workspace at once: the second waits, then replaces the first's result.
  await tx.query("SELECT pg_advisory_xact_lock($1::int4, hashtext($2))", [IMPORT_LOCK, ws])
  for (const table of DOCUMENT_TABLES) await tx.query(`DELETE FROM ${table} WHERE workspace_id = $1`, [ws])
}

const putter =
  (tx: Queryable, ws: string) =>
  (table: string, columns: ReadonlyArray<BulkColumn>, rows: ReadonlyArray<ReadonlyArray<unknown>>) =>
    insertRows(
      tx,
      table,
      [text("workspace_id"), ...columns],
      rows.map((r) => [ws, ...r]),
    )

/** Everything but the streamed sections (companies, contacts, tickets, threads, notes). */
export const loadHead = async (
  tx: Queryable,
  doc: WorkspaceDocument,
  secrets: Pick<ImportSecrets, "agentPasswordHashes">,
): Promise<void> => {
  const ws = doc.workspace.id
  await tx.query(
    `INSERT INTO workspaces (workspace_id, name, branding, settings) VALUES ($1, $2, $3::jsonb, $4::jsonb)
     ON CONFLICT (workspace_id) DO UPDATE SET name = EXCLUDED.name, branding = EXCLUDED.branding,
       settings = EXCLUDED.settings, settings_version = workspaces.settings_version + 1`,
    [
      ws,
      doc.workspace.name,
      doc.workspace.branding === undefined ? null : JSON.stringify(doc.workspace.branding),
      JSON.stringify(doc.portal),
    ],
  )
  const put = putter(tx, ws)

  const keys = doc.domains.map((d) => hostKey(d.host))
  const taken = (host: string, other: string | null) =>
    new Abort(
      new Conflict({
        reason: `${host} is already the domain of ${other === null ? "another workspace" : `workspace "${other}"`}.`,
      }),
    )
  const [other] = await tx.query<{ host_key: string; workspace_id: string }>(
    "SELECT host_key, workspace_id FROM domains WHERE host_key = ANY($1::text[]) AND workspace_id <> $2 LIMIT 1",
    [keys, ws],
  )
  if (other !== undefined) throw taken(other.host_key, other.workspace_id)
  await put(
    "domains",
    [text("host"), text("host_key"), text("language")],
    doc.domains.map((d) => [d.host, hostKey(d.host), d.language]),
  ).catch((error: unknown) => {
    throw isUniqueViolation(error, "domains_host") ? taken(keys.join(", "), null) : error
  })
  await put(
    "agents",
    [text("agent_id"), text("name"), text("email"), json("permissions"), text("password_hash")],
    doc.agents.map((a) => [
      a.id,
      a.name,
      a.email,
      a.permissions === undefined ? null : JSON.stringify(a.permissions),
      secrets.agentPasswordHashes.get(a.id) ?? null,
    ]),
  )
  await put(
    "lists",
    [text("list_id"), text("name")],
    doc.lists.map((l) => [l.id, l.name]),
  )
  await put(
    "list_members",
    [text("list_id"), int("position"), text("contact_id")],
    doc.lists.flatMap((l) => l.contactIds.map((c, i) => [l.id, i, c])),
  )
  await put(
    "pipelines",
    [text("pipeline_id"), text("label")],
    doc.pipelines.map((p) => [p.id, p.label]),
  )
  await put(
    "stages",
    [text("pipeline_id"), text("stage_id"), text("label"), text("state"), int("position")],
    doc.pipelines.flatMap((p) => p.stages.map((s, i) => [p.id, s.id, s.label, s.state, i])),
  )
  await put(
    "inboxes",
    [text("inbox_id"), text("name"), text("kind")],
    doc.inboxes.map((i) => [i.id, i.name, i.kind]),
  )
  await put(
    "forms",
    [text("form_id"), text("name"), text("inbox_id"), json("fields")],
    doc.forms.map((f) => [f.id, f.name, f.inboxId, JSON.stringify(f.fields)]),
  )
  // P-HOOK-1: endpoints are kept by id (with their deliveries) or replaced; new ones start at the head.
  await loadWebhooks(tx, ws, doc.webhooks ?? [], Date.now())
}

export const writeCompanies = async (tx: Queryable, ws: string, companies: WorkspaceDocument["companies"]) =>
  putter(tx, ws)(
    "companies",
    [text("company_id"), text("name")],
    companies.map((c) => [c.id, c.name]),
  )

/** Contacts and their consents; `hashes`: each login's hash by contact id. */
export const writeContacts = async (
  tx: Queryable,
  ws: string,
  contacts: WorkspaceDocument["contacts"],
  hashes: ReadonlyMap<string, string>,
) => {
  const put = putter(tx, ws)
  await put(
    "contacts",
    [
      text("contact_id"),
      text("email"),
      text("email_key"),
      text("first_name"),
      text("last_name"),
      text("primary_company_id"),
      text("password_hash"),
      { name: "unsubscribed", type: "bool" },
    ],
    contacts.map((c) => [
      c.id,
      c.email,
      emailKey(c.email),
      c.firstName,
      c.lastName,
      c.primaryCompanyId,
      hashes.get(c.id) ?? null,
      c.unsubscribed === true,
    ]),
  )
  await put(
    "consents",
    [
      text("contact_id"),
      text("notice_text"),
      text("checkbox_label"),
      text("legal_url"),
      text("text_version"),
      text("given_at"),
    ],
    contacts.flatMap((c) =>
      (c.consents ?? []).map((k) => [
        c.id,
        k.text,
        k.checkboxLabel ?? "",
        k.legalUrl ?? null,
        k.textVersion,
        k.givenAt,
      ]),
    ),
  )
}

export const writeTickets = async (tx: Queryable, ws: string, tickets: WorkspaceDocument["tickets"]) => {
  const put = putter(tx, ws)
  await put(
    "tickets",
    [
      text("ticket_id"),
      text("subject"),
      text("content"),
      text("pipeline_id"),
      text("stage_id"),
      text("owner_id"),
      text("requester_id"),
      text("created_at"),
      ms("created_ms"),
      text("last_activity_at"),
      ms("last_activity_ms"),
      json("properties"),
      textArray("contact_ids"),
      textArray("company_ids"),
      textArray("participant_ids"),
    ],
    tickets.map((t) => [
      t.id,
      t.subject,
      t.content,
      t.pipelineId,
      t.stageId,
      t.ownerId,
      t.requesterId,
      t.createdAt,
      msOf(t.createdAt),
      t.lastActivityAt,
      msOf(t.lastActivityAt),
      JSON.stringify(t.properties),
      arrayLiteral(t.contactIds),
      arrayLiteral(t.companyIds),
      arrayLiteral(t.participantIds ?? []),
    ]),
  )
  // P-EXT-2: each rated ticket's rating.
  await put(
    "ticket_satisfaction",
    [text("ticket_id"), text("rating"), text("comment"), text("at")],
    tickets.flatMap((t) =>
      t.satisfaction === undefined
        ? []
        : [[t.id, t.satisfaction.rating, t.satisfaction.comment ?? null, t.satisfaction.at]],
    ),
  )
}

/** The association rows, once every ticket is written: they copy the sort keys from the ticket rows. */
export const linkTickets = async (tx: Queryable, ws: string) => {
  for (const [table, column, field] of [
    ["ticket_contacts", "contact_id", "contact_ids"],
    ["ticket_companies", "company_id", "company_ids"],
    ["ticket_participants", "contact_id", "participant_ids"],
  ] as const)
    await tx.query(
      `INSERT INTO ${table} (workspace_id, ticket_id, ${column}, last_activity_ms, created_ms)
       SELECT DISTINCT t.workspace_id, t.ticket_id, a.id, t.last_activity_ms, t.created_ms
       FROM tickets t CROSS JOIN LATERAL unnest(t.${field}) AS a(id) WHERE t.workspace_id = $1`,
      [ws],
    )
}

/** Threads, their messages and the messages' attachments (`attachmentIds`: by message id and index). */
export const writeThreads = async (
  tx: Queryable,
  ws: string,
  threads: WorkspaceDocument["threads"],
  attachmentIds: ImportSecrets["attachmentIds"],
) => {
  const put = putter(tx, ws)
  await put(
    "threads",
    [text("thread_id"), text("ticket_id"), text("channel"), text("inbox_id"), text("created_at"), ms("created_ms")],
    threads.map((th) => [th.id, th.ticketId, th.channel, th.inboxId, th.createdAt, msOf(th.createdAt)]),
  )
  const ticketOfThread = new Map(threads.map((th) => [th.id as string, th.ticketId as string]))
  const messages = threads.flatMap((th) => th.messages.map((m) => ({ thread: th.id as string, m })))
  await put(
    "messages",
    [
      text("message_id"),
      text("thread_id"),
      text("kind"),
      text("author_type"),
      text("author_id"),
      text("text"),
      text("created_at"),
      ms("created_ms"),
    ],
    messages.map(({ thread, m }) => [
      m.id,
      thread,
      m.kind,
      m.author.type,
      m.author.id,
      m.text,
      m.createdAt,
      msOf(m.createdAt),
    ]),
  )
  const attachments = messages.flatMap(({ thread, m }) =>
    (m.attachments ?? []).map((a, i) => {
      const id = attachmentIds.get(m.id)?.[i]
      if (id === undefined) throw new Error(`no id for attachment ${i} of message "${m.id}"`)
      return { id, key: importedBlobKey(m.id, i), message: m.id, ticket: ticketOfThread.get(thread), position: i, a }
    }),
  )
  await put(
    "blobs",
    [text("blob_key"), { name: "bytes", type: "text", expr: (v) => `decode(${v}, 'base64')` }],
    attachments.map((x) => [x.key, x.a.dataBase64]),
  )
  await put(
    "attachments",
    [
      text("attachment_id"),
      text("message_id"),
      text("ticket_id"),
      int("position"),
      text("name"),
      text("content_type"),
      int("size"),
      text("blob_key"),
    ],
    attachments.map((x) => [
      x.id,
      x.message,
      x.ticket,
      x.position,
      x.a.name,
      x.a.contentType,
      Buffer.from(x.a.dataBase64, "base64").length,
      x.key,
    ]),
  )
}

export const writeNotes = async (tx: Queryable, ws: string, notes: WorkspaceDocument["notes"]) =>
  putter(tx, ws)(
    "notes",
    [text("note_id"), text("ticket_id"), text("author_id"), text("created_at"), text("text")],
    notes.map((n) => [n.id, n.ticketId, n.authorId, n.createdAt, n.text]),
  )

/**
 * After an import (committed): move the trigram indexes' pending entries into the indexes and
 * refresh the planner's statistics of every table. Without it, searches scan every ticket until
 * autovacuum comes by (a server) or forever (PGlite runs no autovacuum), and `tickets.get` plans
 * its visibility check without statistics (docs/http-bench.md, findings 3 and 4). On PGlite,
 * also VACUUM: it has no autovacuum, so the replaced workspace's dead rows would stay in the
 * data folder and it would grow with every re-import (docs/storage-postgres.md). `full` (the
 * CLI's import) rewrites the tables, giving the space back to the file system.
 */
export const settleImported = async (
  db: Queryable & { readonly kind?: "pg" | "pglite" },
  { full = false }: { readonly full?: boolean } = {},
): Promise<void> => {
  await db.query(
    "SELECT gin_clean_pending_list('tickets_subject_trgm'::regclass), gin_clean_pending_list('tickets_content_trgm'::regclass)",
  )
  if (db.kind === "pglite") {
    await db.exec(full ? "VACUUM (FULL, ANALYZE)" : "VACUUM (ANALYZE)")
    // FULL writes the rewritten tables to the WAL: a CHECKPOINT lets PGlite recycle it.
    if (full) await db.exec("CHECKPOINT")
  }
  // Every table, the small catalog ones too: without statistics for `stages`, the status
  // filter's plan scanned the whole workspace (docs/http-bench.md, finding 7). ANALYZE samples
  // a bounded number of rows per table, so its cost does not grow with the data.
  else await db.query("ANALYZE")
}
