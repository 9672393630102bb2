/**
 * P-SEC-6 and hole 12a on the pages as a browser receives them, over real HTTP with the built
 * portal (apps/portal/build/handler.js, made by `pnpm build`): the ticket list and the ticket
 * detail page of a portal that shows Open/Closed carry neither the internal stage ("Waiting on
 * legal", its id), nor the pipeline's or an agent's id, in the markup or in the embedded data; and
 * no name on them (subject, requester, owner, author, file) carries a bidi control, nor does the
 * download's Content-Disposition: the file "\u202Egnp.exe" is "gnp.exe", not "exe.png".
 */
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import { type Client, data } from "./support/Http.ts"
import { ADMIN, CUSTOMER_PASSWORD, type Doc, startWorld, type World } from "./support/World.ts"

const STAGE_ID = "stage-waiting-on-legal"
const STAGE_LABEL = "Waiting on legal"
const PIPELINE_ID = "pipeline-support-internal"
const AGENT_IDS = {
  u1: "agent-id-hana-internal",
  u2: "agent-id-taro-internal",
  u3: "agent-id-kai-internal",
} as Record<string, string>
const RLO = "\u202e"
const FORM_ID = "form-id-internal-q7"
const FORM_NAME = "Internal intake form Q7"

/** Acme with an internal stage label, telling ids, and names written with bidi controls. */
const edit = (acme: Doc) => {
  const support = acme.pipelines.find((p: Doc) => p.id === "support")
  for (const s of support.stages) if (s.id === "waiting") Object.assign(s, { id: STAGE_ID, label: STAGE_LABEL })
  support.id = PIPELINE_ID
  for (const t of acme.tickets) {
    if (t.pipelineId !== "support") continue
    t.pipelineId = PIPELINE_ID
    if (t.stageId === "waiting") t.stageId = STAGE_ID
  }
  for (const a of acme.agents) a.id = AGENT_IDS[a.id]
  acme.agents.find((a: Doc) => a.id === AGENT_IDS.u2).name = `Taro ${RLO}Suzuki`
  for (const t of acme.tickets) if (t.ownerId !== undefined) t.ownerId = AGENT_IDS[t.ownerId]
  for (const th of acme.threads)
    for (const m of th.messages) if (m.author.type === "agent") m.author.id = AGENT_IDS[m.author.id]
  for (const n of acme.notes ?? []) n.authorId = AGENT_IDS[n.authorId] ?? n.authorId
  acme.contacts.find((c: Doc) => c.id === "p2").firstName = `${RLO}Yuki`
  acme.tickets.find((t: Doc) => t.id === "t2").subject = `Screenshot ${RLO}gnp.exe`
  const m6 = acme.threads.find((th: Doc) => th.id === "th2").messages.find((m: Doc) => m.id === "m6")
  m6.attachments[0].name = `${RLO}gnp.exe`
  const form = acme.forms.find((f: Doc) => f.id === acme.portal.supportForm.formId)
  Object.assign(form, { id: FORM_ID, name: FORM_NAME })
  acme.portal.supportForm.formId = FORM_ID
}

let world: World
let ken: Client
beforeAll(async () => {
  world = await startWorld({ edit, portalHandler: join(REPO_ROOT, "apps", "portal", "build", "handler.js") })
  ken = world.client()
  await ken.signIn("ken@globex.test", CUSTOMER_PASSWORD)
})
afterAll(() => world.close())

/** P-SEC-6: what must not be in a customer's page: internal ids and the stage's label. */
const expectNothingInternal = (html: string) => {
  for (const secret of [STAGE_LABEL, STAGE_ID, PIPELINE_ID, ...Object.values(AGENT_IDS)])
    expect(html, secret).not.toContain(secret)
}

/** Hole 12a: no bidi control, raw or escaped in the embedded data. */
const expectNoBidi = (html: string) => {
  expect(html).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/)
  expect(html).not.toMatch(/\\u(061c|200e|200f|202[a-e]|206[6-9])/i)
}

describe("P-SEC-6: the pages embed only what they show", () => {
  it("P-SEC-6: the ticket list page (markup and embedded data) has no stage id/label, pipeline id or agent id; hole 12a: no bidi control", async () => {
    const res = await ken.request("/tickets")
    expect(res.status).toBe(200)
    expectNothingInternal(res.text)
    // The waiting ticket is listed, with its requester and owner, each name as it reads.
    expect(res.text).toContain("Screenshot gnp.exe")
    expect(res.text).toContain("Taro Suzuki")
    expect(res.text).toContain("Yuki Tanaka")
    expectNoBidi(res.text)
    // A page with a fresh CSP nonce gets no ETag: it could never match again, and hashing the
    // whole HTML cost 3 % of the page's CPU (patches/@sveltejs__kit@2.70.4.patch). Never cached.
    expect(res.text).toMatch(/nonce="[^"]+"/)
    expect(res.headers.etag).toBeUndefined()
    expect(res.headers["cache-control"]).toBe("private, no-store")
  })

  it("P-SEC-6: the ticket detail page has no stage id/label, pipeline id or agent id; hole 12a: no bidi control", async () => {
    const res = await ken.request("/tickets/t2")
    expect(res.status).toBe(200)
    expectNothingInternal(res.text)
    expect(res.text).toContain("Screenshot gnp.exe")
    expect(res.text).toContain(">gnp.exe<")
    expectNoBidi(res.text)
  })

  it("P-SEC-6: the new request page embeds the form it shows, not the form's internal name or id", async () => {
    const res = await ken.request("/tickets/new")
    expect(res.status).toBe(200)
    expect(res.text).toContain("How can we help?")
    for (const secret of [FORM_ID, FORM_NAME]) expect(res.text, secret).not.toContain(secret)
  })

  it("hole 12a: the download of \\u202Egnp.exe is named gnp.exe", async () => {
    const detail = data(await ken.query("tickets.get", { ticketId: "t2" }))
    const file = detail.messages.flatMap((m: Doc) => m.attachments)[0]
    expect(file.name).toBe("gnp.exe")
    const download = await ken.request(file.url)
    expect(download.status).toBe(200)
    expect(download.headers["content-disposition"]).toBe(`attachment; filename="gnp.exe"; filename*=UTF-8''gnp.exe`)
  })

  it("hole 12a: the agents' preview of a contact's list and ticket shows the names without bidi controls", async () => {
    const admin = world.client()
    await admin.signIn(ADMIN.email, ADMIN.password, true)
    const list = await admin.query("admin.preview", { page: "list", source: { contactId: "p1" } })
    const detail = await admin.query("admin.preview", { page: "detail", source: { contactId: "p1" }, ticketId: "t2" })
    for (const res of [list, detail]) {
      expect(res.status).toBe(200)
      expect(res.text).toContain("gnp.exe")
      expectNoBidi(res.text)
    }
  })
})
