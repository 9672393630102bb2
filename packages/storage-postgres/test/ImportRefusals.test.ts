/**
 * P-SEC-7: what an import accepts is what the admin screens accept. Each refusal class below is a
 * document the admin screens (or the customer's forms) would refuse; the import use-case on the
 * database must refuse it too, with an error that names the JSON path in words, never a raw
 * database message, and change nothing (every table's row count, proven by raw SQL).
 */
import { readFileSync } from "node:fs"
import { InvalidDocument } from "@portal/core/domain"
import { TEXTAREA_FIELD_MAX_LENGTH } from "@portal/core/rules"
import { importWorkspace, REPLY_MAX_FILE_BYTES } from "@portal/core/usecases"
import { layerSystemTest } from "@portal/storage-memory"
import { Effect } from "effect"
import fc from "fast-check"
import { beforeAll, describe, expect, it } from "vitest"
import { tableCounts } from "../src/Backdoor.ts"
import type { Driver } from "../src/Driver.ts"
import { eachDriver, failureOn, runOn } from "./support/Drivers.ts"

// biome-ignore lint/suspicious/noExplicitAny: test JSON is edited loosely
type Doc = Record<string, any>
const demo = (): Doc => JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8")) as Doc
const importRaw = (raw: unknown) => importWorkspace(raw).pipe(Effect.provide(layerSystemTest()))

/** Words a raw PostgreSQL / driver error would carry. */
const SQL_WORDS =
  /\b(SQLSTATE|syntax|violates|constraint|duplicate key|invalid byte sequence|relation|INSERT|DELETE|0x00)\b/i

/** A second workspace the refusals must not touch, and a document to break (a copy of acme). */
const other = (): Doc => ({ ...demo(), workspace: { ...demo().workspace, id: "other-ws" } })

/** Each refusal class: how to break the document, and the path the error must name. */
const CASES: ReadonlyArray<readonly [string, (d: Doc) => void, string, RegExp?]> = [
  [
    "a javascript: navigation link",
    (d) => d.portal.navigation.push({ label: "x", url: "javascript:alert(document.cookie)" }),
    "portal.navigation[1].url",
  ],
  [
    "a data: navigation link",
    (d) => (d.portal.navigation[0].url = "data:text/html,<script>alert(1)</script>"),
    "portal.navigation[0].url",
  ],
  ["the reserved slug admin", (d) => (d.portal.slug = "admin"), "portal.slug", /reserved/],
  [
    'an HS256 secret "short" on an enabled portal',
    (d) =>
      (d.portal.access = {
        method: "sso",
        protocol: "jwt",
        audience: "all",
        jwt: { algorithm: "HS256", secret: "short" },
      }),
    "portal.access.jwt.secret",
    /at least 32/,
  ],
  [
    "a ticket content over the form's limit",
    (d) => (d.tickets[0].content = "x".repeat(TEXTAREA_FIELD_MAX_LENGTH + 1)),
    "tickets[0].content",
    /at most/,
  ],
  [
    "an attachment over a reply's 10 MiB",
    (d) =>
      (d.threads[0].messages[0].attachments[0].dataBase64 = Buffer.alloc(REPLY_MAX_FILE_BYTES + 1).toString("base64")),
    "threads[0].messages[0].attachments[0]",
    /larger than 10 MiB/,
  ],
  ["an invalid contact email", (d) => (d.contacts[1].email = "not an email"), "contacts[1].email", /valid email/],
  ["an invalid agent email", (d) => (d.agents[0].email = "hana@"), "agents[0].email"],
  [
    "a plain password shorter than registration allows",
    (d) => (d.contacts[0].password = "short"),
    "contacts[0].password",
  ],
  [
    "a passwordHash that is not argon2id",
    (d) => {
      delete d.contacts[0].password
      d.contacts[0].passwordHash = "$2b$10$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
    },
    "contacts[0].passwordHash",
    /argon2id/,
  ],
  [
    "both password and passwordHash on one login",
    (d) => (d.agents[0].passwordHash = `$argon2id$v=19$m=47104,t=1,p=1$${"a".repeat(22)}$${"b".repeat(43)}`),
    "agents[0]",
    /not both/,
  ],
  ["the platform's shared domain", (d) => (d.domains[0].host = "acme.portal-sites.net"), "domains[0].host"],
  ["a NUL byte in a note", (d) => (d.notes[0].text = "bad \u0000 byte"), "notes[0].text", /NUL/],
  ["a control character in a name", (d) => (d.companies[0].name = "Globex\u0007"), "companies[0].name", /U\+0007/],
  ["a line break in a label", (d) => (d.pipelines[0].label = "Two\nlines"), "pipelines[0].label", /line breaks/],
  [
    "a lone surrogate in a subject",
    (d) => (d.tickets[1].subject = "half \ud800 pair"),
    "tickets[1].subject",
    /surrogate/,
  ],
  [
    "a colour that is not #rrggbb",
    (d) => (d.workspace.branding.primaryColor = "red"),
    "workspace.branding.primaryColor",
  ],
]

eachDriver("P-SEC-7 import refusals", (shared) => {
  let driver: Driver
  beforeAll(async () => {
    driver = await shared.get()
    await runOn(driver, importRaw(other()))
  })

  /** Imports the broken document; expects InvalidDocument naming `path`, nothing changed. */
  const refused = async (doc: Doc, path: string, words?: RegExp) => {
    const before = await tableCounts(driver)
    const error = await failureOn(driver, importRaw(doc))
    expect(error).toBeInstanceOf(InvalidDocument)
    const message = (error as InvalidDocument).message
    expect(message, message.slice(0, 2000)).toContain(`${path}: `)
    if (words !== undefined) expect(message).toMatch(words)
    expect(message).not.toMatch(SQL_WORDS)
    expect(message.length).toBeLessThan(5_000)
    expect(await tableCounts(driver)).toEqual(before)
    return message
  }

  for (const [title, breakIt, path, words] of CASES)
    it(`P-SEC-7: refuses ${title} at ${path}, changing nothing`, async () => {
      const doc = demo()
      breakIt(doc)
      await refused(doc, path, words)
    })

  it("P-SEC-7: refuses a host another workspace serves, naming the host, changing nothing", async () => {
    const doc = demo()
    doc.domains = [{ host: "LOCALHOST", language: "en" }] // other-ws serves localhost
    const message = await refused(doc, "domains[0].host", /localhost is already the domain of workspace "other-ws"/)
    expect(message).not.toMatch(/domains_host/)
  })

  it("P-SEC-7: an unknown field and a bad slug name their paths too", async () => {
    const doc = demo()
    doc.portal.slug = "Not A Slug"
    doc.tickets[0].colour = "red"
    const before = await tableCounts(driver)
    const error = (await failureOn(driver, importRaw(doc))) as InvalidDocument
    expect(error.message).toMatch(/colour/)
    expect(error.message).not.toMatch(SQL_WORDS)
    expect(await tableCounts(driver)).toEqual(before)
  })

  describe("P-SEC-7 property", () => {
    /** Fields of the demo the schema takes any string for, where a bad character must be named. */
    const FIELDS: ReadonlyArray<readonly [string, (d: Doc) => { o: Doc; k: string | number }]> = [
      ["workspace.name", (d) => ({ o: d.workspace, k: "name" })],
      ["agents[1].name", (d) => ({ o: d.agents[1], k: "name" })],
      ["contacts[2].firstName", (d) => ({ o: d.contacts[2], k: "firstName" })],
      ["lists[0].name", (d) => ({ o: d.lists[0], k: "name" })],
      ["tickets[2].subject", (d) => ({ o: d.tickets[2], k: "subject" })],
      ["tickets[0].content", (d) => ({ o: d.tickets[0], k: "content" })],
      ["tickets[0].properties.category", (d) => ({ o: d.tickets[0].properties, k: "category" })],
      ["threads[0].messages[2].text", (d) => ({ o: d.threads[0].messages[2], k: "text" })],
      ["notes[0].text", (d) => ({ o: d.notes[0], k: "text" })],
      ["portal.pageTitle", (d) => ({ o: d.portal, k: "pageTitle" })],
      ["portal.consent.noticeText", (d) => ({ o: d.portal.consent, k: "noticeText" })],
      ["portal.navigation[0].label", (d) => ({ o: d.portal.navigation[0], k: "label" })],
    ]
    // Every C0 control character and DEL except tab, line feed and carriage return (allowed in free text).
    const control = fc
      .integer({ min: 0, max: 32 })
      .map((n) => (n === 32 ? 0x7f : n))
      .filter((n) => ![9, 10, 13].includes(n))
      .map((n) => String.fromCharCode(n))

    it("P-SEC-7: a control character anywhere in a free string is refused with that field's path", async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...FIELDS), control, fc.nat(), async ([path, at], char, position) => {
          const doc = demo()
          const { o, k } = at(doc)
          const value = String(o[k])
          const i = position % (value.length + 1)
          o[k] = `${value.slice(0, i)}${char}${value.slice(i)}`
          await refused(doc, path)
        }),
        { numRuns: 40 },
      )
    }, 120_000)
  })
})
