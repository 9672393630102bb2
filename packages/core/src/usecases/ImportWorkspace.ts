/**
 * `portal import` / `portal export` (WORKSPACE_FORMAT.md).
 * Import: decode and check the whole document first (nothing is written for an invalid one):
 * its shape and references, and what the portal renders from it as the admin screens would
 * check it (the branding's colours and addresses, P-BRAND-3; the time zone). Then hash every plain password, then hand the store a document without any plain password; the
 * store replaces the workspace in one transaction. Export: the stored workspace as the encoded
 * JSON value of the document (passwords are never exported).
 */
import { Effect, Option } from "effect"
import type { WorkspaceId } from "../domain/Ids.ts"
import {
  decodeWorkspaceDocument,
  encodeWorkspaceDocument,
  InvalidDocument,
  type WorkspaceDocument,
} from "../domain/WorkspaceDocument.ts"
import { WorkspaceNotFound } from "../ports/Errors.ts"
import { PasswordHasher } from "../ports/System.ts"
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

/** The document without plain passwords, and the hashes of the passwords it carried. */
export const hashPasswords = (
  doc: WorkspaceDocument,
): Effect.Effect<{ readonly doc: WorkspaceDocument; readonly secrets: ImportSecrets }, never, PasswordHasher> =>
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

/** Decode, check, hash and store a `portal-workspace/v1` document (replacing that workspace). */
export const importWorkspace = (
  input: unknown,
): Effect.Effect<ImportSummary, InvalidDocument | StoreError, WorkspaceStore | PasswordHasher> =>
  Effect.gen(function* () {
    const decoded = yield* decodeWorkspaceDocument(input)
    const problems = renderedProblems(decoded)
    if (problems.length > 0) return yield* new InvalidDocument({ issues: problems })
    const { doc, secrets } = yield* hashPasswords(decoded)
    const store = yield* WorkspaceStore
    yield* store.importDocument(doc, secrets)
    return {
      workspaceId: doc.workspace.id,
      counts: {
        contacts: doc.contacts.length,
        tickets: doc.tickets.length,
        threads: doc.threads.length,
        messages: doc.threads.reduce((n, t) => n + t.messages.length, 0),
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
