/**
 * Documents the suites import: the shipped demo (renamed per test so tests never collide),
 * secrets for its passwords and attachment ids, and the normal form used to compare an export
 * with an import.
 */
import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import {
  type AttachmentId,
  decodeWorkspaceDocument,
  type WorkspaceDocument,
  type WorkspaceId,
} from "@portal/core/domain"
import { type ImportSecrets, type StoredContact, WorkspaceStore } from "@portal/core/ports"
import { Effect } from "effect"

const demoPath = new URL("../../../demo/acme.en.json", import.meta.url)
let demoRaw: unknown

/** The demo document (demo/acme.en.json) as workspace `id` served on `host`. */
export const demoDocument = (id: string, host = `${id}.contract.test`): WorkspaceDocument => {
  demoRaw ??= JSON.parse(readFileSync(demoPath, "utf8"))
  const doc = Effect.runSync(decodeWorkspaceDocument(structuredClone(demoRaw)))
  return {
    ...doc,
    workspace: { ...doc.workspace, id: id as WorkspaceId },
    domains: doc.domains.map((d, i) => ({ ...d, host: i === 0 ? host : `${i}.${host}` })),
  }
}

/** The hash every suite expects a plain document password to be stored as. */
export const testHash = (password: string) => `contract-hash:${password}`

/**
 * The id of every attachment of the document, by message id and index, as the use-case gives
 * them: the attachment's own `id`, else a new random one.
 */
export const attachmentIdsFor = (doc: WorkspaceDocument): ImportSecrets["attachmentIds"] =>
  new Map(
    doc.threads.flatMap((t) =>
      t.messages.flatMap((m) =>
        (m.attachments ?? []).length === 0
          ? []
          : [
              [
                m.id as string,
                (m.attachments ?? []).map((a) => a.id ?? (`att-${randomUUID()}` as AttachmentId)),
              ] as const,
            ],
      ),
    ),
  )

/**
 * What the import use-case hands the store: no passwords, the hashes of the plain ones and the
 * stored ones (`passwordHash`) aside, and the id of every attachment (its own, else a fresh
 * random one: each call gives new ones, like a re-import of a document without ids).
 */
export const forImport = (
  doc: WorkspaceDocument,
): { readonly doc: WorkspaceDocument; readonly secrets: ImportSecrets } => {
  const hashes = (
    items: ReadonlyArray<{ readonly id: string; readonly password?: string; readonly passwordHash?: string }>,
  ) =>
    new Map(
      items.flatMap((i) =>
        i.password !== undefined
          ? [[i.id, testHash(i.password)] as const]
          : i.passwordHash !== undefined
            ? [[i.id, i.passwordHash] as const]
            : [],
      ),
    )
  return {
    doc: {
      ...doc,
      contacts: doc.contacts.map(({ password: _, passwordHash: __, ...c }) => c),
      agents: doc.agents.map(({ password: _, passwordHash: __, ...a }) => a),
    },
    secrets: {
      contactPasswordHashes: hashes(doc.contacts),
      agentPasswordHashes: hashes(doc.agents),
      attachmentIds: attachmentIdsFor(doc),
    },
  }
}

/** Imports the document as the use-case would; returns the secrets it gave (the attachment ids). */
export const importDoc = (doc: WorkspaceDocument) =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    const { doc: stored, secrets } = forImport(doc)
    yield* store.importDocument(stored, secrets)
    return secrets
  })

export const exportDoc = (workspaceId: string) =>
  Effect.gen(function* () {
    const store = yield* WorkspaceStore
    return yield* store.exportDocument(workspaceId as WorkspaceId)
  })

/**
 * The form an export is compared in: a plain password as the hash it is stored as (testHash),
 * attachment ids dropped (a document without them gets random ones; the suites check the ids
 * apart), defaults filled in (agent permissions [], message attachments []). Everything else must
 * come back exactly, array order and time strings included ("import then export gives back the
 * same document, up to key order and defaults").
 */
export const normalize = (doc: WorkspaceDocument): unknown => {
  const login = <P extends { readonly password?: string; readonly passwordHash?: string }>({
    password,
    passwordHash,
    ...rest
  }: P) => {
    const hash = password === undefined ? passwordHash : testHash(password)
    return hash === undefined ? rest : { ...rest, passwordHash: hash }
  }
  return {
    ...doc,
    agents: doc.agents.map((a) => login({ ...a, permissions: a.permissions ?? [] })),
    contacts: doc.contacts.map(login),
    threads: doc.threads.map((t) => ({
      ...t,
      messages: t.messages.map((m) => ({
        ...m,
        attachments: (m.attachments ?? []).map(({ id: _, ...a }) => a),
      })),
    })),
  }
}

/** A stored contact of a document, as ContactStore returns it after `forImport`. */
export const storedContact = (doc: WorkspaceDocument, id: string): StoredContact => {
  const { password, passwordHash, consents: _, ...contact } = doc.contacts.find((c) => c.id === id)!
  return { ...contact, passwordHash: password === undefined ? (passwordHash ?? null) : testHash(password) }
}

/** The document's counts in the backdoor's terms (blobs: one per imported attachment). */
export const documentCounts = (doc: WorkspaceDocument) => {
  const messages = doc.threads.flatMap((t) => t.messages)
  const attachments = messages.reduce((n, m) => n + (m.attachments?.length ?? 0), 0)
  return {
    contacts: doc.contacts.length,
    consents: doc.contacts.reduce((n, c) => n + (c.consents?.length ?? 0), 0),
    tickets: doc.tickets.length,
    threads: doc.threads.length,
    messages: messages.length,
    attachments,
    notes: doc.notes.length,
    events: 0,
    domains: doc.domains.length,
    blobs: attachments,
    agents: doc.agents.length,
    companies: doc.companies.length,
    lists: doc.lists.length,
    sessions: 0,
    webhook_endpoints: doc.webhooks?.length ?? 0,
    webhook_deliveries: 0,
    ticket_satisfaction: doc.tickets.filter((t) => t.satisfaction !== undefined).length,
  }
}
