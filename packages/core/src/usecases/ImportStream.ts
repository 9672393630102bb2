/**
 * `portal import` of a document read as a stream (docs/storage-postgres.md, "Import at scale"):
 * the same rules as `importWorkspace`, a record at a time. A storage adapter parses the JSON
 * and hands over each top-level section (`section`), except the records of the big sections
 * (STREAMED_SECTIONS), which it hands over one by one (`record`) and writes in batches inside
 * one transaction. Each record is decoded with the document's own element schema
 * (`WorkspaceDocument.fields.tickets.value`, …) and checked as `documentIssues` and
 * `referenceProblems` check it (their incremental forms, ImportChecks / DocumentReferences, with
 * the ids kept in IdSets). `prepare` hashes a batch's passwords and gives its attachments their
 * ids. `finish` decodes and checks the rest, then checks the references that waited for a later
 * section; it fails with InvalidDocument naming every issue, as `checkWorkspaceDocument` does
 * (shape issues first; then references; then the rules), and the adapter rolls back.
 */
import { Effect, Result, Schema } from "effect"
import { makeReferenceChecks, type ReferenceCheckOptions } from "../domain/DocumentReferences.ts"
import type { AttachmentId } from "../domain/Ids.ts"
import { InvalidDocument, schemaIssueTexts, WorkspaceDocument } from "../domain/WorkspaceDocument.ts"
import type { IdGenerator, PasswordHasher } from "../ports/System.ts"
import {
  issueText,
  makeDocumentChecks,
  STREAMED_SECTIONS,
  type StreamedRecord,
  type StreamedSection,
} from "./ImportChecks.ts"
import { attachmentIdsOf, hashLogins, withoutPassword } from "./ImportWorkspace.ts"

/** Past this many, shape issues are counted, not kept. */
const MAX_SHAPE_ISSUES = 1_000

const decoders = Object.fromEntries(
  STREAMED_SECTIONS.map((section) => [
    section,
    Schema.decodeUnknownResult(WorkspaceDocument.fields[section].value as Schema.Codec<unknown, unknown>),
  ]),
) as {
  readonly [S in StreamedSection]: (
    input: unknown,
    options?: object,
  ) => Result.Result<StreamedRecord<S>, Schema.SchemaError>
}
const decodeHead = Schema.decodeUnknownResult(WorkspaceDocument)
const PARSE = { onExcessProperty: "error", errors: "all" } as const

/** A batch of records as the store writes them: no password, the hashes and attachment ids aside. */
export interface PreparedBatch<S extends StreamedSection> {
  readonly records: ReadonlyArray<StreamedRecord<S>>
  /** contacts: the hash of each login by contact id. */
  readonly passwordHashes: ReadonlyMap<string, string>
  /** threads: the id of each attachment by message id and index. */
  readonly attachmentIds: ReadonlyMap<string, ReadonlyArray<AttachmentId>>
}

export interface DocumentImport {
  /** A top-level key's whole value (any key but a streamed section's array). */
  readonly section: (key: string, value: unknown) => void
  /** A streamed section's record `index`: decoded and checked; null when refused (the issue is kept). */
  readonly record: <S extends StreamedSection>(section: S, index: number, raw: unknown) => StreamedRecord<S> | null
  /** The streamed section's array has ended. */
  readonly endSection: (section: StreamedSection) => void
  /** An issue was found: the document will be refused, nothing more needs writing (nor may be: a NUL character). */
  readonly refused: () => boolean
  readonly prepare: <S extends StreamedSection>(
    section: S,
    records: ReadonlyArray<StreamedRecord<S>>,
  ) => Effect.Effect<PreparedBatch<S>, never, PasswordHasher | IdGenerator>
  /**
   * Every record given: the document without its streamed records (their sections empty, its
   * agents without passwords) and the agents' login hashes, or every issue of the document.
   */
  readonly finish: () => Effect.Effect<
    { readonly head: WorkspaceDocument; readonly agentPasswordHashes: ReadonlyMap<string, string> },
    InvalidDocument,
    PasswordHasher
  >
}

/**
 * `storeChecks`: the store checks the ticket, thread and message ids itself (DocumentReferences:
 * duplicates at its primary keys, references to tickets before COMMIT), so that memory does not
 * grow with them; `finish` then says nothing about those.
 */
export const makeDocumentImport = (options: ReferenceCheckOptions = {}): DocumentImport => {
  const head: Record<string, unknown> = {}
  const shape: Array<string> = []
  let moreShape = 0
  const references = makeReferenceChecks(options)
  const checks = makeDocumentChecks()
  const seen = new Set<string>()
  const shapeIssue = (texts: ReadonlyArray<string>) => {
    for (const text of texts)
      if (shape.length < MAX_SHAPE_ISSUES) shape.push(text)
      else moreShape += 1
  }
  const referenceOf = {
    companies: references.company,
    contacts: references.contact,
    tickets: references.ticket,
    threads: references.thread,
    notes: references.note,
  } as { readonly [S in StreamedSection]: (record: StreamedRecord<S>) => void }
  const headReferences = {
    agents: references.agent,
    lists: references.list,
    pipelines: references.pipeline,
    inboxes: references.inbox,
    forms: references.form,
    domains: references.domain,
  }

  return {
    section: (key, value) => {
      if (seen.has(key)) shapeIssue([`${key}: the key appears twice in the document`])
      seen.add(key)
      head[key] = value
      // The records other sections reference, as soon as they are read (a bad one: finish says why).
      const feed = headReferences[key as keyof typeof headReferences]
      if (feed !== undefined) {
        const decoded = Schema.decodeUnknownResult(WorkspaceDocument.fields[key as keyof typeof headReferences])(
          value,
          PARSE,
        )
        if (Result.isSuccess(decoded)) for (const item of decoded.success) feed(item as never)
        references.complete(key)
      }
    },
    record: (section, index, raw) => {
      if (!seen.has(section)) {
        seen.add(section)
        head[section] = []
      } else if (index === 0) shapeIssue([`${section}: the key appears twice in the document`])
      const decoded = decoders[section](raw, PARSE)
      if (Result.isFailure(decoded)) {
        shapeIssue(schemaIssueTexts(decoded.failure.issue, [section, index]))
        return null
      }
      const record = decoded.success
      referenceOf[section](record)
      checks.record(section, index, record)
      return record
    },
    endSection: (section) => {
      if (!seen.has(section)) {
        seen.add(section)
        head[section] = []
      }
      references.complete(section)
    },
    refused: () => shape.length > 0 || checks.found() > 0 || references.found() > 0,
    prepare: (section, records) =>
      Effect.gen(function* () {
        if (section === "contacts") {
          const contacts = records as ReadonlyArray<StreamedRecord<"contacts">>
          return {
            records: contacts.map(withoutPassword) as unknown as typeof records,
            passwordHashes: yield* hashLogins(contacts),
            attachmentIds: new Map(),
          }
        }
        return {
          records,
          passwordHashes: new Map(),
          attachmentIds:
            section === "threads"
              ? yield* attachmentIdsOf(records as ReadonlyArray<StreamedRecord<"threads">>)
              : new Map(),
        }
      }),
    finish: () =>
      Effect.gen(function* () {
        const decoded = decodeHead(head, PARSE)
        if (Result.isFailure(decoded)) shapeIssue(schemaIssueTexts(decoded.failure.issue))
        if (shape.length > 0 || Result.isFailure(decoded))
          return yield* new InvalidDocument({
            issues: moreShape === 0 ? shape : [...shape, `… and ${moreShape} more issues`],
          })
        const doc = decoded.success
        references.portal(doc.portal)
        for (const section of STREAMED_SECTIONS) references.complete(section)
        const problems = references.problems()
        if (problems.length > 0) return yield* new InvalidDocument({ issues: problems })
        checks.head(doc)
        const issues = checks.issues().map(issueText)
        if (issues.length > 0) return yield* new InvalidDocument({ issues })
        return {
          head: { ...doc, agents: doc.agents.map(withoutPassword) },
          agentPasswordHashes: yield* hashLogins(doc.agents),
        }
      }),
  }
}
