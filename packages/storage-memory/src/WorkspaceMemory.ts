/**
 * WorkspaceStore and SettingsStore over the memory state. Import replaces the whole workspace
 * (its blobs and consents included) in one swap; a host already served by another workspace
 * (Conflict), a broken reference, an undecodable attachment or one the secrets give no id (or a
 * taken id) fails the import and changes nothing. Export writes every login's hash, consent and
 * attachment id (P-DATA-1). Attachments keep exactly the ids the import use-case chose
 * (ImportSecrets.attachmentIds: random, so a re-import gives them new ones); blob keys are
 * internal and stay `import/<messageId>/<index>`.
 */
import { referenceProblems, type WorkspaceDocument, type WorkspaceId } from "@portal/core/domain"
import {
  type Catalog,
  type ImportSecrets,
  importedAttachmentId,
  type SettingsStoreShape,
  type StoredAttachment,
  type WorkspaceStoreShape,
} from "@portal/core/ports"
import { Option } from "effect"
import * as Base64 from "effect/encoding/Base64"
import { catalogWrites } from "./CatalogMemory.ts"
import {
  abort,
  check,
  conflict,
  copy,
  type MemoryDb,
  read,
  type StoredBlob,
  type StoredThread,
  setIn,
  type WorkspaceData,
  withWorkspace,
  write,
  writeOrConflict,
} from "./State.ts"

const toWorkspaceData = (
  input: WorkspaceDocument,
  secrets: ImportSecrets,
  previous: WorkspaceData | undefined,
): { readonly ws: WorkspaceData; readonly blobs: ReadonlyMap<string, StoredBlob> } => {
  const doc = copy(input)
  const storedAtMs = Date.now()
  const blobs = new Map<string, StoredBlob>()
  const attachments = new Map<string, StoredAttachment>()
  const threads: Array<StoredThread> = doc.threads.map(({ messages, ...head }) => ({
    head,
    messages: messages.map(({ attachments: files = [], ...m }) => ({
      ...m,
      attachmentIds: files.map((file, i) => {
        const bytes = Base64.decode(file.dataBase64)
        if (bytes._tag === "Failure") return abort(`attachment ${i} of message "${m.id}" is not base64`)
        const id = importedAttachmentId(secrets, m.id, i) ?? abort(`no id for attachment ${i} of message "${m.id}"`)
        check(!attachments.has(id), `attachment id "${id}" is given twice`)
        const blobKey = `import/${m.id}/${i}`
        blobs.set(blobKey, { bytes: bytes.success, storedAtMs })
        attachments.set(id, {
          id,
          name: file.name,
          contentType: file.contentType,
          size: bytes.success.length,
          blobKey,
          ticketId: head.ticketId,
          messageId: m.id,
        })
        return id
      }),
    })),
  }))
  const ws: WorkspaceData = {
    workspace: doc.workspace,
    domains: doc.domains,
    agents: doc.agents.map(({ password: _, passwordHash: __, ...agent }) => agent),
    agentPasswordHashes: new Map(secrets.agentPasswordHashes),
    companies: doc.companies,
    contacts: doc.contacts.map(({ password: _, passwordHash: __, consents: ___, ...c }) => ({
      ...c,
      passwordHash: secrets.contactPasswordHashes.get(c.id) ?? null,
    })),
    lists: doc.lists,
    pipelines: doc.pipelines,
    inboxes: doc.inboxes,
    forms: doc.forms,
    tickets: doc.tickets.map(({ satisfaction: _, ...t }) => t),
    threads,
    notes: doc.notes,
    settings: {
      settings: doc.portal,
      version: (previous?.settings.version ?? 0) + 1,
      catalogVersion: (previous?.settings.catalogVersion ?? 1) + 1,
    },
    consents: doc.contacts.flatMap((c) =>
      (c.consents ?? []).map((k) => ({
        contactId: c.id,
        noticeText: k.text,
        checkboxLabel: k.checkboxLabel ?? "",
        legalUrl: k.legalUrl ?? null,
        textVersion: k.textVersion,
        givenAt: k.givenAt,
      })),
    ),
    attachments,
    events: [],
    idempotency: new Map(),
    versions: new Map(),
    satisfaction: new Map(doc.tickets.flatMap((t) => (t.satisfaction === undefined ? [] : [[t.id, t.satisfaction]]))),
  }
  return { ws, blobs }
}

const toDocument = (ws: WorkspaceData, blobs: ReadonlyMap<string, StoredBlob>): WorkspaceDocument =>
  copy({
    format: "portal-workspace/v1",
    workspace: ws.workspace,
    domains: ws.domains,
    agents: ws.agents.map((a) => {
      const hash = ws.agentPasswordHashes.get(a.id)
      return hash === undefined ? a : { ...a, passwordHash: hash }
    }),
    companies: ws.companies,
    contacts: ws.contacts.map(({ passwordHash, ...c }) => {
      const consents = ws.consents
        .filter((k) => k.contactId === c.id)
        .map((k) => ({
          textVersion: k.textVersion,
          text: k.noticeText,
          ...(k.checkboxLabel === "" ? {} : { checkboxLabel: k.checkboxLabel }),
          ...(k.legalUrl === null ? {} : { legalUrl: k.legalUrl }),
          givenAt: k.givenAt,
        }))
      return {
        ...c,
        ...(passwordHash === null ? {} : { passwordHash }),
        ...(consents.length === 0 ? {} : { consents }),
      }
    }),
    lists: ws.lists,
    pipelines: ws.pipelines,
    inboxes: ws.inboxes,
    forms: ws.forms,
    tickets: ws.tickets.map((t) => {
      const satisfaction = ws.satisfaction?.get(t.id)
      return satisfaction === undefined ? t : { ...t, satisfaction }
    }),
    threads: ws.threads.map((t) => ({
      ...t.head,
      messages: t.messages.map(({ attachmentIds, ...m }) => {
        const files = attachmentIds.map((id) => {
          const meta = ws.attachments.get(id) ?? abort(`attachment "${id}" is missing`)
          const blob = blobs.get(meta.blobKey) ?? abort(`blob "${meta.blobKey}" is missing`)
          return { id, name: meta.name, contentType: meta.contentType, dataBase64: Base64.encode(blob.bytes) }
        })
        return files.length === 0 ? m : { ...m, attachments: files }
      }),
    })),
    notes: ws.notes,
    portal: ws.settings.settings,
  })

const storedAtMs = () => Date.now()

export const workspaceStore = (db: MemoryDb): WorkspaceStoreShape => ({
  ...catalogWrites(db),
  findByHost: (host) =>
    read(db, (s) => {
      const wanted = host.toLowerCase()
      for (const ws of s.workspaces.values()) {
        const domain = ws.domains.find((d) => d.host.toLowerCase() === wanted)
        if (domain !== undefined) return Option.some({ workspaceId: ws.workspace.id, domain: copy(domain) })
      }
      return Option.none()
    }),
  catalog: (workspaceId) =>
    read(db, (s) => {
      const ws = s.workspaces.get(workspaceId)
      if (ws === undefined) return Option.none()
      const catalog: Catalog = {
        workspace: ws.workspace,
        domains: ws.domains,
        agents: ws.agents,
        pipelines: ws.pipelines,
        inboxes: ws.inboxes,
        forms: ws.forms,
        lists: ws.lists.map(({ contactIds: _, ...list }) => list),
      }
      return Option.some(copy(catalog))
    }),
  listWorkspaceIds: () => read(db, (s) => [...s.workspaces.keys()] as Array<WorkspaceId>),
  importDocument: (doc, secrets) =>
    writeOrConflict(db, "importDocument", (s) => {
      const problems = referenceProblems(doc)
      check(problems.length === 0, `invalid document: ${problems.join("; ")}`)
      const id = doc.workspace.id
      for (const domain of doc.domains)
        for (const other of s.workspaces.values())
          if (
            other.workspace.id !== id &&
            other.domains.some((d) => d.host.toLowerCase() === domain.host.toLowerCase())
          )
            conflict(`${domain.host.toLowerCase()} is already the domain of workspace "${other.workspace.id}".`)
      const { ws, blobs } = toWorkspaceData(doc, secrets, s.workspaces.get(id))
      const next = withWorkspace(s, ws, { blobs: setIn(s.blobs, id as string, blobs) })
      // P-HOOK-1: the document's endpoints replace the workspace's; they start at the stream's head.
      const startSequence = next.sequences.get(id) ?? 0
      const kept = new Map(s.webhooks.filter((e) => e.workspaceId === id).map((e) => [e.id, e]))
      const now = storedAtMs()
      const webhooks = (doc.webhooks ?? []).map((w, i) => ({
        id: w.id,
        workspaceId: id,
        url: w.url,
        events: [...w.events],
        secret: w.secret,
        enabled: true,
        failingSinceMs: null,
        disabledAtMs: null,
        startSequence: kept.get(w.id)?.startSequence ?? startSequence,
        // Document order is creation order (export sorts by it).
        createdMs: now + i,
      }))
      const ids = new Set(webhooks.map((w) => w.id))
      return [
        undefined,
        {
          ...next,
          webhooks: [...next.webhooks.filter((e) => e.workspaceId !== id), ...webhooks],
          webhookDeliveries: next.webhookDeliveries.filter((d) => d.workspaceId !== id || ids.has(d.endpointId)),
        },
      ]
    }),
  exportDocument: (workspaceId) =>
    write(db, "exportDocument", (s) => {
      const ws = s.workspaces.get(workspaceId)
      if (ws === undefined) return [Option.none(), s]
      const doc = toDocument(ws, s.blobs.get(workspaceId) ?? new Map())
      const webhooks = s.webhooks
        .filter((e) => e.workspaceId === workspaceId)
        .sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1))
        .map((e) => ({ id: e.id, url: e.url, events: [...e.events], secret: e.secret }))
      return [Option.some(webhooks.length === 0 ? doc : { ...doc, webhooks }), s]
    }),
})

export const settingsStore = (db: MemoryDb): SettingsStoreShape => ({
  get: (workspaceId) =>
    read(db, (s) => Option.map(Option.fromUndefinedOr(s.workspaces.get(workspaceId)), (ws) => copy(ws.settings))),
  save: (workspaceId, settings, expectedVersion) =>
    writeOrConflict(db, "save", (s) => {
      const ws = s.workspaces.get(workspaceId) ?? abort(`workspace "${workspaceId}" does not exist`)
      if (ws.settings.version !== expectedVersion)
        conflict(`settings are at version ${ws.settings.version}, not ${expectedVersion}`)
      const version = expectedVersion + 1
      return [version, withWorkspace(s, { ...ws, settings: { ...ws.settings, settings: copy(settings), version } })]
    }),
})
