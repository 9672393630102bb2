/**
 * `portal import` at scale: the document is read as a stream (JsonEvents.ts), each record goes
 * through core's streamed import (makeDocumentImport: the same schemas and checks as
 * `importWorkspace`) and is written in batches (Bulk.ts) inside ONE transaction, so memory
 * stays flat whatever the document's size, and any issue (even at the last record, or a
 * reference to a record that never came) rolls everything back: the previous workspace stays
 * exactly as it was. The workspace's old rows are deleted as soon as its id is read; records
 * read before it (a document whose `workspace` key comes late) wait in memory. The sections
 * read whole (workspace, domains, agents, lists, pipelines, inboxes, forms, portal) are written
 * last, after core's final checks.
 */
import { InvalidDocument, type WorkspaceId } from "@portal/core/domain"
import type { IdGenerator, PasswordHasher } from "@portal/core/ports"
import {
  type ImportSummary,
  makeDocumentImport,
  STREAMED_SECTIONS,
  type StreamedRecord,
  type StreamedSection,
  takenHostIssues,
} from "@portal/core/usecases"
import { Cause, Effect, Exit, type Layer, Option } from "effect"
import { BATCH_ROWS } from "./Bulk.ts"
import type { Queryable } from "./Driver.ts"
import { Abort } from "./Errors.ts"
import {
  clearWorkspace,
  linkTickets,
  loadHead,
  writeCompanies,
  writeContacts,
  writeNotes,
  writeThreads,
  writeTickets,
} from "./ImportDocument.ts"
import { type DocumentEvent, DocumentSplitter } from "./JsonEvents.ts"
import { hostKey } from "./stores/Rows.ts"

/** Rows written so far, by table (as the progress line shows them). */
export type ImportProgress = Readonly<Record<StreamedSection | "messages", number>>

export interface StreamImportOptions {
  readonly passwordHasher: Layer.Layer<PasswordHasher>
  readonly idGenerator: Layer.Layer<IdGenerator>
  /** Called after each batch is written, with the rows written so far. */
  readonly onProgress?: (progress: ImportProgress) => void
}

/** Records per batch: threads carry their messages, so fewer of them. */
const batchSize = (section: StreamedSection) => (section === "threads" ? Math.floor(BATCH_ROWS / 4) : BATCH_ROWS)

const runEffect = async <A, E>(effect: Effect.Effect<A, E>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  const error = Cause.findErrorOption(exit.cause)
  throw Option.isSome(error) ? error.value : Cause.squash(exit.cause)
}

/**
 * Imports the document whose text `chunks` yields, in `tx` (the caller's transaction: it must
 * roll back when this throws); with `tx` null, only checks it (no store, no password hashing:
 * the CLI's first pass). Throws InvalidDocument (every issue with its JSON path), a
 * SyntaxError for text that is not a JSON document, or the database's error.
 */
export const importChunks = async (
  tx: Queryable | null,
  chunks: AsyncIterable<string>,
  options: StreamImportOptions,
): Promise<ImportSummary> => {
  const session = makeDocumentImport()
  const provide = <A, E>(effect: Effect.Effect<A, E, PasswordHasher | IdGenerator>) =>
    runEffect(Effect.provide(effect, [options.passwordHasher, options.idGenerator]))
  const batches = Object.fromEntries(STREAMED_SECTIONS.map((s) => [s, []])) as unknown as {
    [S in StreamedSection]: Array<StreamedRecord<S>>
  }
  const written = { companies: 0, contacts: 0, tickets: 0, threads: 0, notes: 0, messages: 0 }
  const counts = { attachments: 0, passwords: 0, consents: 0 }
  let ws: string | null = null
  const summaryOf = (workspaceId: WorkspaceId, agentPasswords: number): ImportSummary => ({
    workspaceId,
    counts: {
      contacts: written.contacts,
      tickets: written.tickets,
      threads: written.threads,
      messages: written.messages,
      attachments: counts.attachments,
      passwords: counts.passwords + agentPasswords,
      consents: counts.consents,
    },
  })

  const flush = async (section: StreamedSection) => {
    const records = batches[section]
    if (records.length === 0 || ws === null) return
    batches[section] = []
    if (session.refused()) return
    if (tx === null) {
      written[section] += records.length
      return
    }
    const batch = await provide(session.prepare(section, records))
    if (section === "companies") await writeCompanies(tx, ws, batch.records as StreamedRecord<"companies">[])
    else if (section === "contacts") {
      const contacts = batch.records as StreamedRecord<"contacts">[]
      await writeContacts(tx, ws, contacts, batch.passwordHashes)
      counts.passwords += batch.passwordHashes.size
      counts.consents += contacts.reduce((n, c) => n + (c.consents?.length ?? 0), 0)
    } else if (section === "tickets") await writeTickets(tx, ws, batch.records as StreamedRecord<"tickets">[])
    else if (section === "threads") {
      const threads = batch.records as StreamedRecord<"threads">[]
      await writeThreads(tx, ws, threads, batch.attachmentIds)
      written.messages += threads.reduce((n, t) => n + t.messages.length, 0)
      for (const ids of batch.attachmentIds.values()) counts.attachments += ids.length
    } else await writeNotes(tx, ws, batch.records as StreamedRecord<"notes">[])
    written[section] += records.length
    options.onProgress?.({ ...written })
  }

  // The splitter calls back synchronously; the writes wait in `queue` until the chunk is split.
  const queue: Array<DocumentEvent> = []
  const splitter = new DocumentSplitter((event) => queue.push(event))
  const handle = async (event: DocumentEvent) => {
    if (event.kind === "section") {
      session.section(event.key, event.value)
      const id = (event.value as { id?: unknown } | null)?.id
      if (event.key === "workspace" && ws === null && typeof id === "string") {
        ws = id
        if (tx !== null) await clearWorkspace(tx, ws)
        for (const section of STREAMED_SECTIONS) await flush(section)
      }
    } else if (event.kind === "record") {
      const record = session.record(event.section, event.index, event.value)
      if (record === null || session.refused()) return
      const batch = batches[event.section] as Array<unknown>
      batch.push(record)
      if (batch.length >= batchSize(event.section)) await flush(event.section)
    } else {
      session.endSection(event.section)
      await flush(event.section)
    }
  }
  for await (const chunk of chunks) {
    splitter.write(chunk)
    for (const event of queue.splice(0)) await handle(event)
  }
  splitter.end()
  for (const event of queue.splice(0)) await handle(event)

  const { head, agentPasswordHashes } = await provide(session.finish())
  for (const section of STREAMED_SECTIONS) await flush(section)
  if (tx === null) return summaryOf(head.workspace.id, agentPasswordHashes.size)
  const taken = await runEffect(
    takenHostIssues(head, (host) =>
      Effect.promise(async () => {
        const [row] = await tx.query<{ workspace_id: string }>(
          "SELECT workspace_id FROM domains WHERE host_key = $1 LIMIT 1",
          [hostKey(host)],
        )
        return Option.fromUndefinedOr(row === undefined ? undefined : { workspaceId: row.workspace_id })
      }),
    ),
  )
  if (taken.length > 0) throw new InvalidDocument({ issues: taken })
  await loadHead(tx, head, { agentPasswordHashes }).catch((error: unknown) => {
    if (error instanceof Abort && (error.error as { _tag?: string })._tag === "Conflict")
      throw new InvalidDocument({ issues: [`domains: ${(error.error as { reason: string }).reason}`] })
    throw error
  })
  await linkTickets(tx, head.workspace.id)
  return summaryOf(head.workspace.id, agentPasswordHashes.size)
}
