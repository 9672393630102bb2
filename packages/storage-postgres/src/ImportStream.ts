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
 *
 * With a store, the ids of tickets, threads and messages (5,000,000 of them for 1,000,000
 * tickets) are not kept in memory (core's `storeChecks`): a duplicate is found by the primary
 * key as its batch is written (DuplicateIds, named here with its place in the document), and a
 * thread or note whose ticket is missing by a query once every record is written, before COMMIT
 * (missingTickets). The check-only pass (`tx` null) cannot find those two: the written pass does.
 */
import { InvalidDocument, WorkspaceId } from "@portal/core/domain"
import type { IdGenerator, PasswordHasher } from "@portal/core/ports"
import {
  type ImportSummary,
  makeDocumentImport,
  type PreparedBatch,
  STREAMED_SECTIONS,
  type StreamedRecord,
  type StreamedSection,
  takenHostIssues,
} from "@portal/core/usecases"
import { Cause, Effect, Exit, type Layer, Option, Schema } from "effect"
import { BATCH_ROWS } from "./Bulk.ts"
import type { Queryable } from "./Driver.ts"
import { Abort } from "./Errors.ts"
import {
  clearWorkspace,
  DuplicateIds,
  linkTickets,
  loadHead,
  missingTickets,
  writeCompanies,
  writeContacts,
  writeNotes,
  writeThreads,
  writeTickets,
} from "./ImportDocument.ts"
import { type DocumentEvent, DocumentSplitter } from "./JsonEvents.ts"
import { findOne } from "./Sql.ts"
import { hostKey } from "./stores/Rows.ts"

/** The workspace a domain belongs to. */
const HostOwnerRow = Schema.Struct({ workspace_id: WorkspaceId })

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

/**
 * A batch is also written once its long strings (texts, attachments' base64) reach this many
 * characters, so that what a batch holds stays small (a message may carry 25 MiB of files):
 * `portal import` runs with a 128 MB heap (apps/server/bin/portal.js).
 */
const BATCH_CHARS = 4_000_000

/** The characters of a record's long strings (the rest is small and bounded by the record count). */
const charsOf = (section: StreamedSection, record: unknown): number => {
  if (section === "tickets") {
    const t = record as StreamedRecord<"tickets">
    return t.subject.length + t.content.length
  }
  if (section === "notes") return (record as StreamedRecord<"notes">).text.length
  if (section !== "threads") return 0
  let n = 0
  for (const m of (record as StreamedRecord<"threads">).messages) {
    n += m.text.length
    for (const file of m.attachments ?? []) n += file.dataBase64.length
  }
  return n
}

/** Past this many, the missing tickets are counted, not named (as core's reference checks do). */
const MAX_PROBLEMS = 10_000

/**
 * The issues of a batch's duplicate ids, each at its place in the document: a key skipped n
 * times is reported at its last n places in the batch (the earlier ones were written first).
 */
const duplicateIssues = (
  error: DuplicateIds,
  records: ReadonlyArray<StreamedRecord<StreamedSection>>,
  indexes: ReadonlyArray<number>,
): Array<string> => {
  const places = new Map<string, Array<string>>()
  const place = (id: string, path: string) => {
    const list = places.get(id) ?? []
    list.push(path)
    places.set(id, list)
  }
  records.forEach((record, i) => {
    const at = indexes[i] ?? i
    if (error.kind === "ticket") place(record.id, `tickets[${at}].id`)
    else if (error.kind === "thread") place(record.id, `threads[${at}].id`)
    else
      for (const [k, m] of (record as StreamedRecord<"threads">).messages.entries())
        place(m.id, `threads[${at}].messages[${k}].id`)
  })
  const issues: Array<string> = []
  for (const id of new Set(error.ids)) {
    const skipped = error.ids.filter((x) => x === id).length
    const paths = places.get(id) ?? []
    for (const path of paths.slice(Math.max(0, paths.length - skipped)))
      issues.push(`${path}: duplicate ${error.kind} id "${id}"`)
  }
  return issues
}

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
  const session = makeDocumentImport({ storeChecks: true })
  // Bulk-load settings for this transaction only: larger GIN pending lists (the trigram indexes of
  // subjects and texts) are merged into the index in fewer, bigger passes, and the association
  // rows' DISTINCT (linkTickets) sorts in memory instead of on disk. Both end with the transaction.
  if (tx !== null) await tx.exec("SET LOCAL gin_pending_list_limit = '32MB'; SET LOCAL work_mem = '32MB'")
  const provide = <A, E>(effect: Effect.Effect<A, E, PasswordHasher | IdGenerator>) =>
    runEffect(Effect.provide(effect, [options.passwordHasher, options.idGenerator]))
  const batches: { [S in StreamedSection]: Array<StreamedRecord<S>> } = {
    companies: [],
    contacts: [],
    tickets: [],
    threads: [],
    notes: [],
  }
  /** The characters of each batch's long strings (charsOf). */
  const chars = { companies: 0, contacts: 0, tickets: 0, threads: 0, notes: 0 }
  /** Each batched record's index in its section (to name a duplicate's place). */
  const indexes = Object.fromEntries(STREAMED_SECTIONS.map((s) => [s, []])) as unknown as {
    [S in StreamedSection]: Array<number>
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

  /** Each section's batch written (records already decoded and checked by core), typed per section. */
  const writers: {
    readonly [S in StreamedSection]: (tx: Queryable, ws: string, batch: PreparedBatch<S>) => Promise<void>
  } = {
    companies: (tx, ws, batch) => writeCompanies(tx, ws, batch.records),
    contacts: async (tx, ws, batch) => {
      await writeContacts(tx, ws, batch.records, batch.passwordHashes)
      counts.passwords += batch.passwordHashes.size
      counts.consents += batch.records.reduce((n, c) => n + (c.consents?.length ?? 0), 0)
    },
    tickets: (tx, ws, batch) => writeTickets(tx, ws, batch.records),
    threads: async (tx, ws, batch) => {
      await writeThreads(tx, ws, batch.records, batch.attachmentIds)
      written.messages += batch.records.reduce((n, t) => n + t.messages.length, 0)
      for (const ids of batch.attachmentIds.values()) counts.attachments += ids.length
    },
    notes: (tx, ws, batch) => writeNotes(tx, ws, batch.records),
  }

  const flush = async <S extends StreamedSection>(section: S) => {
    const records = batches[section]
    if (records.length === 0 || ws === null) return
    const at = indexes[section]
    batches[section] = []
    indexes[section] = []
    chars[section] = 0
    if (session.refused()) return
    if (tx === null) {
      written[section] += records.length
      return
    }
    const batch = await provide(session.prepare(section, records))
    await writers[section](tx, ws, batch).catch((error: unknown) => {
      if (error instanceof DuplicateIds) throw new InvalidDocument({ issues: duplicateIssues(error, records, at) })
      throw error
    })
    written[section] += records.length
    options.onProgress?.({ ...written })
  }

  /** Adds a decoded record to its section's batch; returns the batch's length. */
  const add = <S extends StreamedSection>(section: S, record: StreamedRecord<S>): number => {
    const batch = batches[section]
    batch.push(record)
    return batch.length
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
      indexes[event.section].push(event.index)
      chars[event.section] += charsOf(event.section, record)
      if (add(event.section, record) >= batchSize(event.section) || chars[event.section] >= BATCH_CHARS)
        await flush(event.section)
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
        const row = await findOne(tx, HostOwnerRow, "SELECT workspace_id FROM domains WHERE host_key = $1 LIMIT 1", [
          hostKey(host),
        ])
        return Option.fromUndefinedOr(row === undefined ? undefined : { workspaceId: row.workspace_id })
      }),
    ),
  )
  if (taken.length > 0) throw new InvalidDocument({ issues: taken })
  const missing = await missingTickets(tx, head.workspace.id, MAX_PROBLEMS)
  if (missing.total > 0)
    throw new InvalidDocument({
      issues:
        missing.total > missing.problems.length
          ? [...missing.problems, `… and ${missing.total - missing.problems.length} more problems`]
          : missing.problems,
    })
  await loadHead(tx, head, { agentPasswordHashes }).catch((error: unknown) => {
    if (error instanceof Abort && (error.error as { _tag?: string })._tag === "Conflict")
      throw new InvalidDocument({ issues: [`domains: ${(error.error as { reason: string }).reason}`] })
    throw error
  })
  await linkTickets(tx, head.workspace.id)
  return summaryOf(head.workspace.id, agentPasswordHashes.size)
}
