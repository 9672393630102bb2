/**
 * `portal import` / `portal export` (WORKSPACE_FORMAT.md).
 * Import: decode and check the whole document first (nothing is written for an invalid one):
 * its shape and references, then everything the admin screens and forms would refuse (P-SEC-7,
 * ImportChecks.ts: settings, domains, branding, emails, passwords, sizes, characters), each issue
 * as `path: message`, and no host another workspace serves. Then hash every plain password, keep
 * every stored login (`passwordHash`, argon2id) as it is, keep every attachment's `id` and give
 * the others a random one, and hand the store a document without any password, with those
 * hashes and ids aside (ImportSecrets); the store replaces the workspace in one transaction.
 * A host taken by another workspace in the meantime comes back from the store as Conflict and
 * is reported in words like the other issues. Export: the stored workspace as the encoded JSON
 * value of the document, with every login's hash, consent and attachment id (P-DATA-1): export
 * then import then export gives the same document.
 *
 * Attachment ids: a document from elsewhere may carry none; they are then decided here, once,
 * from IdGenerator ("att-…", like a reply's), and every adapter stores exactly these. They are
 * random so that a customer cannot guess the id of a file on an internal comment of a ticket
 * they do see and time its refusal (P-VIS-4, docs/visibility-timing.md). An exported document
 * carries its ids, so a re-import keeps `/files/<id>` links working.
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
import { normalizeHost } from "../rules/Domains.ts"
import { invalidateCatalog } from "./Callers.ts"
import { documentIssues, issueText } from "./ImportChecks.ts"

export interface ImportSummary {
  readonly workspaceId: WorkspaceId
  readonly counts: {
    readonly contacts: number
    readonly tickets: number
    readonly threads: number
    readonly messages: number
    readonly attachments: number
    readonly passwords: number
    readonly consents: number
  }
}

type PasswordHashes = Pick<ImportSecrets, "contactPasswordHashes" | "agentPasswordHashes">

/** The hash of every login, by id: a plain password hashed, a stored `passwordHash` kept. */
export const hashLogins = (
  entries: ReadonlyArray<{ readonly id: string; readonly password?: string; readonly passwordHash?: string }>,
): Effect.Effect<Map<string, string>, never, PasswordHasher> =>
  Effect.flatMap(PasswordHasher, (hasher) =>
    Effect.forEach(
      entries.flatMap((e) => (e.password === undefined ? [] : [[e.id, e.password] as const])),
      ([id, password]) => Effect.map(hasher.hash(password), (hash) => [id, hash] as const),
      { concurrency: 4 },
    ).pipe(
      Effect.map(
        (pairs) =>
          new Map([
            ...entries.flatMap((e) => (e.passwordHash === undefined ? [] : [[e.id, e.passwordHash] as const])),
            ...pairs,
          ]),
      ),
    ),
  )

/** A login without its password or hash (they travel aside, in ImportSecrets). */
export const withoutPassword = <T extends { readonly password?: string; readonly passwordHash?: string }>({
  password: _,
  passwordHash: __,
  ...rest
}: T): Omit<T, "password" | "passwordHash"> => rest

/** The document without passwords: the hashes of its plain ones, and its stored ones, aside. */
export const hashPasswords = (
  doc: WorkspaceDocument,
): Effect.Effect<{ readonly doc: WorkspaceDocument; readonly secrets: PasswordHashes }, never, PasswordHasher> =>
  Effect.gen(function* () {
    const contactPasswordHashes = yield* hashLogins(doc.contacts)
    const agentPasswordHashes = yield* hashLogins(doc.agents)
    return {
      doc: { ...doc, contacts: doc.contacts.map(withoutPassword), agents: doc.agents.map(withoutPassword) },
      secrets: { contactPasswordHashes, agentPasswordHashes },
    }
  })

/** The id of every attachment of these threads (its own, else a new random one), by message id and index. */
export const attachmentIdsOf = (
  threads: WorkspaceDocument["threads"],
): Effect.Effect<Map<string, ReadonlyArray<AttachmentId>>, never, IdGenerator> =>
  Effect.gen(function* () {
    const ids = yield* IdGenerator
    const byMessage = new Map<string, ReadonlyArray<AttachmentId>>()
    for (const thread of threads)
      for (const message of thread.messages) {
        const files = message.attachments ?? []
        if (files.length === 0) continue
        byMessage.set(
          message.id,
          yield* Effect.forEach(files, (file) =>
            file.id !== undefined ? Effect.succeed(file.id) : Effect.map(ids.next("att"), (id) => id as AttachmentId),
          ),
        )
      }
    return byMessage
  })

/** The id of every attachment of the document (its own, else a new random one), by message id and index. */
export const issueAttachmentIds = (
  doc: WorkspaceDocument,
): Effect.Effect<ImportSecrets["attachmentIds"], never, IdGenerator> => attachmentIdsOf(doc.threads)

/** Hosts of the document another workspace serves, as issues naming the host (P-DOM-1). */
export const takenHostIssues = <E, R>(
  doc: Pick<WorkspaceDocument, "domains" | "workspace">,
  findByHost: (host: string) => Effect.Effect<Option.Option<{ readonly workspaceId: string }>, E, R>,
) =>
  Effect.gen(function* () {
    const issues: Array<string> = []
    for (const [i, domain] of doc.domains.entries()) {
      const found = yield* findByHost(normalizeHost(domain.host))
      if (Option.isSome(found) && found.value.workspaceId !== doc.workspace.id)
        issues.push(
          `domains[${i}].host: ${normalizeHost(domain.host)} is already the domain of workspace "${found.value.workspaceId}"; a host serves one portal.`,
        )
    }
    return issues
  })

/**
 * Everything an import checks without a store: the shape, the references and the rules of
 * ImportChecks.ts. The CLI runs it before it opens the store, so a refused document never
 * costs a database's memory.
 */
export const checkWorkspaceDocument = (input: unknown): Effect.Effect<WorkspaceDocument, InvalidDocument> =>
  Effect.flatMap(decodeWorkspaceDocument(input), (decoded) => {
    const issues = documentIssues(decoded).map(issueText)
    return issues.length > 0 ? Effect.fail(new InvalidDocument({ issues })) : Effect.succeed(decoded)
  })

/** Decode, check, hash and store a `portal-workspace/v1` document (replacing that workspace). */
export const importWorkspace = (
  input: unknown,
): Effect.Effect<ImportSummary, InvalidDocument | StoreError, WorkspaceStore | PasswordHasher | IdGenerator> =>
  Effect.gen(function* () {
    const decoded = yield* checkWorkspaceDocument(input)
    const store = yield* WorkspaceStore
    const taken = yield* takenHostIssues(decoded, store.findByHost)
    if (taken.length > 0) return yield* new InvalidDocument({ issues: taken })
    const { doc, secrets: passwords } = yield* hashPasswords(decoded)
    const secrets: ImportSecrets = { ...passwords, attachmentIds: yield* issueAttachmentIds(doc) }
    yield* store
      .importDocument(doc, secrets)
      .pipe(
        Effect.catchTag("Conflict", (conflict) =>
          Effect.fail(new InvalidDocument({ issues: [`domains: ${conflict.reason}`] })),
        ),
      )
    yield* invalidateCatalog(doc.workspace.id)
    return {
      workspaceId: doc.workspace.id,
      counts: {
        contacts: doc.contacts.length,
        tickets: doc.tickets.length,
        threads: doc.threads.length,
        messages: doc.threads.reduce((n, t) => n + t.messages.length, 0),
        attachments: [...secrets.attachmentIds.values()].reduce((n, ids) => n + ids.length, 0),
        passwords: secrets.contactPasswordHashes.size + secrets.agentPasswordHashes.size,
        consents: doc.contacts.reduce((n, c) => n + (c.consents?.length ?? 0), 0),
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
