/**
 * `portal import` / `portal export` (WORKSPACE_FORMAT.md).
 * Import: decode and check the whole document first (nothing is written for an invalid one):
 * its shape and references, and what the portal renders from it as the admin screens would
 * check it (the branding's colours and addresses, P-BRAND-3; the time zone). Then hash every
 * plain password and give every attachment a random id, and hand the store a document without
 * any plain password, with those hashes and ids aside (ImportSecrets); the store replaces the
 * workspace in one transaction. Export: the stored workspace as the encoded JSON value of the
 * document (passwords and attachment ids are never exported).
 *
 * Attachment ids: the document has none, so they are decided here, once, from IdGenerator
 * ("att-…", like a reply's), and every adapter stores exactly these. They are random so that a
 * customer cannot guess the id of a file on an internal comment of a ticket they do see and time
 * its refusal (P-VIS-4, docs/visibility-timing.md). A re-import replaces the workspace and so
 * issues new file ids: links to the old `/files/<id>` stop working.
 */
import { Effect, Option } from "effect"
import type { AttachmentId, WorkspaceId } from "../domain/Ids.ts"
import {
  decodeWorkspaceDocument,
  encodeWorkspaceDocument,
  InvalidDocument,
  type WorkspaceDocument,
} from "../domain/WorkspaceDocument.ts"
import { WorkspaceNotFound } from "../ports/Errors.ts"
import { IdGenerator, PasswordHasher } from "../ports/System.ts"
import { type ImportSecrets, type StoreError, WorkspaceStore } from "../ports/WorkspaceStore.ts"
import { brandingIssues } from "../rules/Branding.ts"
import { isTimeZone } from "../rules/Locale.ts"

export interface ImportSummary {
  readonly workspaceId: WorkspaceId
  readonly counts: {
    readonly contacts: number
    readonly tickets: number
    readonly threads: number
    readonly messages: number
    readonly attachments: number
    readonly passwords: number
  }
}

/** What the portal would render unsafely or not at all: the branding and the time zone. */
export const renderedProblems = (doc: WorkspaceDocument): ReadonlyArray<string> => [
  ...brandingIssues(doc.workspace.branding ?? {}, "workspace.branding").map((i) => `${i.path}: ${i.message}`),
  ...(doc.portal.timeZone === undefined || isTimeZone(doc.portal.timeZone)
    ? []
    : [`portal.timeZone: "${doc.portal.timeZone}" is not a time zone`]),
]

type PasswordHashes = Pick<ImportSecrets, "contactPasswordHashes" | "agentPasswordHashes">

/** The document without plain passwords, and the hashes of the passwords it carried. */
export const hashPasswords = (
  doc: WorkspaceDocument,
): Effect.Effect<{ readonly doc: WorkspaceDocument; readonly secrets: PasswordHashes }, never, PasswordHasher> =>
  Effect.gen(function* () {
    const hasher = yield* PasswordHasher
    const hashAll = (entries: ReadonlyArray<{ readonly id: string; readonly password?: string }>) =>
      Effect.forEach(
        entries.flatMap((e) => (e.password === undefined ? [] : [[e.id, e.password] as const])),
        ([id, password]) => Effect.map(hasher.hash(password), (hash) => [id, hash] as const),
        { concurrency: 4 },
      ).pipe(Effect.map((pairs) => new Map(pairs)))
    const contactPasswordHashes = yield* hashAll(doc.contacts)
    const agentPasswordHashes = yield* hashAll(doc.agents)
    return {
      doc: {
        ...doc,
        contacts: doc.contacts.map(({ password: _, ...contact }) => contact),
        agents: doc.agents.map(({ password: _, ...agent }) => agent),
      },
      secrets: { contactPasswordHashes, agentPasswordHashes },
    }
  })

/** A new random id for every attachment of the document, by message id and index (ImportSecrets). */
export const issueAttachmentIds = (
  doc: WorkspaceDocument,
): Effect.Effect<ImportSecrets["attachmentIds"], never, IdGenerator> =>
  Effect.gen(function* () {
    const ids = yield* IdGenerator
    const byMessage = new Map<string, ReadonlyArray<AttachmentId>>()
    for (const thread of doc.threads)
      for (const message of thread.messages) {
        const files = message.attachments ?? []
        if (files.length === 0) continue
        byMessage.set(
          message.id,
          yield* Effect.forEach(files, () => Effect.map(ids.next("att"), (id) => id as AttachmentId)),
        )
      }
    return byMessage
  })

/** Decode, check, hash and store a `portal-workspace/v1` document (replacing that workspace). */
export const importWorkspace = (
  input: unknown,
): Effect.Effect<ImportSummary, InvalidDocument | StoreError, WorkspaceStore | PasswordHasher | IdGenerator> =>
  Effect.gen(function* () {
    const decoded = yield* decodeWorkspaceDocument(input)
    const problems = renderedProblems(decoded)
    if (problems.length > 0) return yield* new InvalidDocument({ issues: problems })
    const { doc, secrets: passwords } = yield* hashPasswords(decoded)
    const secrets: ImportSecrets = { ...passwords, attachmentIds: yield* issueAttachmentIds(doc) }
    const store = yield* WorkspaceStore
    yield* store.importDocument(doc, secrets)
    return {
      workspaceId: doc.workspace.id,
      counts: {
        contacts: doc.contacts.length,
        tickets: doc.tickets.length,
        threads: doc.threads.length,
        messages: doc.threads.reduce((n, t) => n + t.messages.length, 0),
        attachments: [...secrets.attachmentIds.values()].reduce((n, ids) => n + ids.length, 0),
        passwords: secrets.contactPasswordHashes.size + secrets.agentPasswordHashes.size,
      },
    }
  })

/** The stored workspace as the JSON value of its document, or WorkspaceNotFound. */
export const exportWorkspace = (
  workspaceId: WorkspaceId | string,
): Effect.Effect<unknown, WorkspaceNotFound | StoreError, WorkspaceStore> =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const found = yield* store.exportDocument(workspaceId as WorkspaceId)
    if (Option.isNone(found)) return yield* Effect.fail(new WorkspaceNotFound({ key: workspaceId }))
    return encodeWorkspaceDocument(found.value)
  })
