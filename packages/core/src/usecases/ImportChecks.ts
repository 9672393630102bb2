/**
 * P-SEC-7: what an import accepts is what the admin screens (and the customer's forms) accept.
 * Every check here is one the product already makes elsewhere, called with the document's JSON
 * path; nothing is re-implemented:
 * - portal settings: rules/SettingsValidation `settingsIssues` (reserved slugs, link schemes,
 *   lengths, references, time zone) and, for an enabled portal, `enablementBlockers` (a connected
 *   domain, an HS256 secret of 32 characters or more, PEM keys, https IdP addresses, a consent
 *   notice with self-registration), as `admin.settings.update` checks them;
 * - domains: rules/Domains `domainListIssues` (the platform's shared domain, a host listed twice);
 *   a host another workspace serves is checked by the use-case against the store;
 * - branding: rules/Branding; emails: rules/Credentials `emailIssues`; plain passwords:
 *   `passwordIssues`; stored logins: `passwordHashIssues` (argon2id PHC), and never both;
 * - sizes: a ticket's subject and content as the support form takes them (rules/SupportForm),
 *   a message's and a note's text and files as a reply takes them (usecases/Reply:
 *   `REPLY_MAX_TEXT_LENGTH`, `attachmentIssues`: 10 files, 10 MiB each, 25 MiB per message);
 * - characters: rules/TextCharacters (no NUL or other control character, line breaks only in
 *   free text, no lone surrogate) for every string and key of the document;
 * - any other string (ids, names, labels, addresses): at most DOCUMENT_STRING_MAX_LENGTH code
 *   points; other free text (notices, PEM keys, ticket properties) at most REPLY_MAX_TEXT_LENGTH.
 * `portal import` streams a document of any size (ImportStream.ts, a record at a time: the same
 * checks); MAX_DOCUMENT_BYTES bounds what `readJsonFile` reads whole.
 * Every issue carries the JSON path (`portal.navigation[2].url`, `tickets[3].content`).
 */

import { IdSet } from "../domain/IdSet.ts"
import { type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"
import { WorkspaceDocument } from "../domain/WorkspaceDocument.ts"
import type { Catalog } from "../ports/WorkspaceStore.ts"
import { brandingIssues } from "../rules/Branding.ts"
import { emailIssues, passwordHashIssues, passwordIssues } from "../rules/Credentials.ts"
import { domainListIssues } from "../rules/Domains.ts"
import { enablementBlockers, settingsIssues } from "../rules/SettingsValidation.ts"
import { TEXT_FIELD_MAX_LENGTH, TEXTAREA_FIELD_MAX_LENGTH } from "../rules/SupportForm.ts"
import { longerThan, textCharacterIssue } from "../rules/TextCharacters.ts"
import { attachmentIssues, MIB, REPLY_MAX_TEXT_LENGTH } from "./Reply.ts"

/** The largest document `readJsonFile` reads whole (bytes of the file); larger ones are refused unread. */
export const MAX_DOCUMENT_BYTES = 256 * MIB
/** Ids, names, labels, emails, addresses: anything that is not free text. */
export const DOCUMENT_STRING_MAX_LENGTH = 2_000

/** Keys whose values are free text: tab and line breaks allowed (rules/TextCharacters). */
const FREE_TEXT_KEYS = new Set(["content", "text", "noticeText", "headerText", "publicKeyPem", "idpCertPem"])
/** Keys whose length a specific rule below checks. */
const OWN_LIMIT_KEYS = new Set(["content", "text", "subject"])

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const child = (path: string, key: string) =>
  IDENTIFIER.test(key) ? (path === "" ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`

/** Characters and generic lengths of every string and key of `value` at `path` (attachment bytes aside). */
const stringIssues = (value: unknown, path: string, key: string, issues: Array<FieldIssue>): void => {
  const visit = (value: unknown, path: string, key: string, freeText: boolean): void => {
    if (typeof value === "string") {
      const bad = textCharacterIssue(value, path, freeText)
      if (bad !== null) issues.push(bad)
      if (!OWN_LIMIT_KEYS.has(key)) {
        const max = freeText ? REPLY_MAX_TEXT_LENGTH : DOCUMENT_STRING_MAX_LENGTH
        if (longerThan(value, max)) issues.push(tooLong(path, max))
      }
    } else if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) visit(v, `${path}[${i}]`, key, freeText)
    } else if (typeof value === "object" && value !== null)
      for (const [k, v] of Object.entries(value)) {
        const at = child(path, k)
        const badKey = textCharacterIssue(k, at, false)
        if (badKey !== null)
          issues.push({
            ...badKey,
            message: `The key ${badKey.message.slice(0, 1).toLowerCase()}${badKey.message.slice(1)}`,
          })
        if (k === "dataBase64") continue
        // A ticket's free properties are free text: values only, their keys are names.
        visit(v, at, k, FREE_TEXT_KEYS.has(k) || key === "properties")
      }
  }
  visit(value, path, key, FREE_TEXT_KEYS.has(key))
}

/** Bytes of a base64 string without decoding it. */
const base64Bytes = (b64: string): number =>
  Math.floor((b64.length * 3) / 4) - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0)

/** The catalog the settings rules check against, from the document itself. */
const catalogOf = (doc: WorkspaceDocument): Catalog => ({
  workspace: doc.workspace,
  domains: doc.domains,
  agents: doc.agents.map(({ password: _, passwordHash: __, ...a }) => a),
  pipelines: doc.pipelines,
  inboxes: doc.inboxes,
  forms: doc.forms,
  lists: doc.lists.map(({ contactIds: _, ...l }) => l),
})

const prefixed = (prefix: string, issues: ReadonlyArray<FieldIssue>) =>
  issues.map((i) => ({ ...i, path: `${prefix}.${i.path}` }))

/** Logins: a valid email; a plain password as registration takes it, or an argon2id hash; not both. */
const loginIssues = (
  kind: "agents" | "contacts",
  people: ReadonlyArray<{ readonly email: string; readonly password?: string; readonly passwordHash?: string }>,
  first = 0,
) =>
  people.flatMap((p, i) => {
    const at = `${kind}[${first + i}]`
    return [
      ...emailIssues(p.email, `${at}.email`),
      ...(p.password === undefined ? [] : passwordIssues(p.password, p.email, `${at}.password`)),
      ...(p.passwordHash === undefined ? [] : passwordHashIssues(p.passwordHash, `${at}.passwordHash`)),
      ...(p.password !== undefined && p.passwordHash !== undefined
        ? [fieldIssue(at, "invalid_input", "Give either password or passwordHash, not both.")]
        : []),
    ]
  })

/** The sections a streamed import reads one record at a time (the others are read whole). */
export const STREAMED_SECTIONS = ["companies", "contacts", "tickets", "threads", "notes"] as const
export type StreamedSection = (typeof STREAMED_SECTIONS)[number]
export type StreamedRecord<S extends StreamedSection> = WorkspaceDocument[S][number]
export const isStreamedSection = (key: string): key is StreamedSection =>
  (STREAMED_SECTIONS as ReadonlyArray<string>).includes(key)

/**
 * The checks of `documentIssues`, a record at a time (a streamed import) or a whole document:
 * `head` takes the document with its streamed sections empty, `record` each record of those.
 * Issues come back in the order `documentIssues` lists them, whatever order they were found in.
 */
export interface DocumentChecks {
  readonly head: (doc: WorkspaceDocument) => void
  readonly record: <S extends StreamedSection>(section: S, index: number, record: StreamedRecord<S>) => void
  readonly issues: () => ReadonlyArray<FieldIssue>
  /** How many issues were found so far. */
  readonly found: () => number
}

export const makeDocumentChecks = (): DocumentChecks => {
  const strings = new Map<string, Array<FieldIssue>>()
  const stringsOf = (key: string) => {
    const list = strings.get(key) ?? []
    strings.set(key, list)
    return list
  }
  const head: Array<FieldIssue> = []
  const contactLogins: Array<FieldIssue> = []
  const settings: Array<FieldIssue> = []
  const tickets: Array<FieldIssue> = []
  const messages: Array<FieldIssue> = []
  const notes: Array<FieldIssue> = []
  const attachmentIds = new IdSet()
  return {
    head: (doc) => {
      for (const [key, value] of Object.entries(doc))
        if (!isStreamedSection(key)) stringIssues(value, child("", key), key, stringsOf(key))
      head.push(...domainListIssues(doc.domains, "domains"))
      head.push(...brandingIssues(doc.workspace.branding ?? {}, "workspace.branding"))
      head.push(...loginIssues("agents", doc.agents))
      // P-HOOK-1: an endpoint id names one endpoint (its deliveries are kept by it).
      const webhookIds = new Set<string>()
      for (const [i, w] of (doc.webhooks ?? []).entries()) {
        if (webhookIds.has(w.id))
          head.push(fieldIssue(`webhooks.${i}.id`, "duplicate_webhook", `duplicate webhook id "${w.id}"`))
        webhookIds.add(w.id)
      }
      const catalog = catalogOf(doc)
      settings.push(...prefixed("portal", settingsIssues(doc.portal, catalog)))
      if (doc.portal.enabled)
        for (const blocker of enablementBlockers(doc.portal, catalog)) {
          const { step: _, ...issue } = blocker
          settings.push({
            ...issue,
            path: issue.path === "domains" ? "domains" : `portal.${issue.path}`,
            message: `${issue.message} (the portal is enabled; set "enabled": false to import an unfinished setup)`,
          })
        }
    },
    record: (section, i, record) => {
      const at = `${section}[${i}]`
      stringIssues(record, at, section, stringsOf(section))
      if (section === "contacts")
        contactLogins.push(...loginIssues("contacts", [record as StreamedRecord<"contacts">], i))
      else if (section === "tickets") {
        const t = record as StreamedRecord<"tickets">
        if (longerThan(t.subject, TEXT_FIELD_MAX_LENGTH)) tickets.push(tooLong(`${at}.subject`, TEXT_FIELD_MAX_LENGTH))
        if (longerThan(t.content, TEXTAREA_FIELD_MAX_LENGTH))
          tickets.push(tooLong(`${at}.content`, TEXTAREA_FIELD_MAX_LENGTH))
      } else if (section === "threads")
        for (const [j, m] of (record as StreamedRecord<"threads">).messages.entries()) {
          const mat = `${at}.messages[${j}]`
          if (longerThan(m.text, REPLY_MAX_TEXT_LENGTH)) messages.push(tooLong(`${mat}.text`, REPLY_MAX_TEXT_LENGTH))
          const files = m.attachments ?? []
          messages.push(
            ...attachmentIssues(
              files.map((f) => ({ name: f.name, contentType: f.contentType, byteLength: base64Bytes(f.dataBase64) })),
              `${mat}.attachments`,
            ),
          )
          files.forEach((f, k) => {
            if (f.id === undefined) return
            if (!attachmentIds.add(f.id))
              messages.push(
                fieldIssue(
                  `${mat}.attachments[${k}].id`,
                  "invalid_input",
                  `The attachment id "${f.id}" is used twice.`,
                ),
              )
          })
        }
      else if (section === "notes") {
        const n = record as StreamedRecord<"notes">
        if (longerThan(n.text, REPLY_MAX_TEXT_LENGTH)) notes.push(tooLong(`${at}.text`, REPLY_MAX_TEXT_LENGTH))
      }
    },
    found: () =>
      [...strings.values(), head, contactLogins, settings, tickets, messages, notes].reduce((n, l) => n + l.length, 0),
    issues: () => [
      ...Object.keys(WorkspaceDocument.fields).flatMap((key) => strings.get(key) ?? []),
      ...head,
      ...contactLogins,
      ...settings,
      ...tickets,
      ...messages,
      ...notes,
    ],
  }
}

/** P-SEC-7: every problem an admin screen or form would find in the document (empty: acceptable). */
export const documentIssues = (doc: WorkspaceDocument): ReadonlyArray<FieldIssue> => {
  const checks = makeDocumentChecks()
  checks.head(doc)
  for (const section of STREAMED_SECTIONS)
    for (const [i, record] of (doc[section] as ReadonlyArray<StreamedRecord<typeof section>>).entries())
      checks.record(section, i, record)
  return checks.issues()
}

/** An issue as the import's error lists it: `path: message`. */
export const issueText = (issue: FieldIssue): string => `${issue.path}: ${issue.message}`
