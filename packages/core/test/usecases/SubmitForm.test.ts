import { describe, expect, it } from "vitest"
import { type Catalog, ValidationFailed } from "../../src/ports/index.ts"
import { getTicket, listTickets, submitForm } from "../../src/usecases/index.ts"
import { fixture } from "../support/Fixture.ts"
import { pathCodes } from "../support/Issues.ts"
import { failure, makeWorld, success } from "../support/World.ts"

const values = { subject: "Printer on fire", content: "Please help", category: "bug", orderNumber: "A-7", urgent: true }
const submission = (
  edit: Partial<{ values: Record<string, string | boolean | number>; idempotencyKey: string }> = {},
) => ({
  values,
  idempotencyKey: "form-1",
  ...edit,
})

describe("submitForm (P-FORM-2, P-FORM-3)", () => {
  it("P-FORM-3 creates one ticket associated with the customer and their company", async () => {
    const w = makeWorld(fixture())
    const { ticketId, duplicate } = success(await w.run(submitForm(w.viewer("p1"), submission())))
    expect(duplicate).toBe(false)
    const [command] = w.state.created
    expect(command?.ticket).toMatchObject({
      id: ticketId,
      subject: "Printer on fire",
      content: "Please help",
      pipelineId: "support",
      stageId: "new",
      requesterId: "p1",
      contactIds: ["p1"],
      companyIds: ["c1"],
      properties: { category: "bug" },
      createdAt: w.state.now,
      lastActivityAt: w.state.now,
    })
    expect(command?.thread).toMatchObject({ inboxId: "ib1", channel: "form" })
    expect(command?.message.author).toEqual({ type: "contact", id: "p1" })
    expect(command?.message.text).toBe(
      "Subject: Printer on fire\nDescribe the problem: Please help\nCategory: bug\nOrder number: A-7\nUrgent: true",
    )
  })
  it("P-FORM-3 the new ticket is visible in the customer's portal, with its form thread", async () => {
    const w = makeWorld(fixture())
    const { ticketId } = success(await w.run(submitForm(w.viewer("p3"), submission())))
    const query = {
      view: "mine" as const,
      status: null,
      search: null,
      sort: "created" as const,
      cursor: null,
      limit: 10,
    }
    expect(success(await w.run(listTickets(w.viewer("p3"), query))).items.map((i) => i.id)).toContain(ticketId)
    const detail = success(await w.run(getTicket(w.viewer("p3"), ticketId)))
    expect(detail.thread?.channel).toBe("form")
    expect(w.state.created[0]?.ticket.companyIds).toEqual([])
  })
  it("P-FORM-3 the same idempotency key returns the first ticket instead of a second", async () => {
    const w = makeWorld(fixture())
    const first = success(await w.run(submitForm(w.viewer("p1"), submission())))
    const again = success(await w.run(submitForm(w.viewer("p1"), submission())))
    expect(again).toEqual({ ticketId: first.ticketId, duplicate: true })
    expect(w.state.created).toHaveLength(1)
  })
  it("P-FORM-3 P-VIS-3 the ticket lands where the portal's filters show it", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.ticketFilters = [{ property: "pipelineId", operator: "in", values: ["billing"] }]
      }),
    )
    success(await w.run(submitForm(w.viewer("p1"), submission())))
    expect(w.state.created[0]?.ticket).toMatchObject({ pipelineId: "billing", stageId: "open" })
  })
  it("P-FORM-3 no open stage passes the filters: refused (no_open_stage), nothing created", async () => {
    const w = makeWorld(
      fixture((d) => {
        d.portal.ticketFilters = [{ property: "category", operator: "in", values: ["billing"] }]
      }),
    )
    expect(failure(await w.run(submitForm(w.viewer("p1"), submission())))).toMatchObject({
      _tag: "ActionNotAllowed",
      action: "submitForm",
      code: "no_open_stage",
    })
    expect(w.state.created).toEqual([])
  })
  it("P-FORM-3 invalid values: every problem listed, nothing created", async () => {
    const w = makeWorld(fixture())
    const e = failure(
      await w.run(
        submitForm(w.viewer("p1"), submission({ values: { subject: "", category: "nope" }, idempotencyKey: "" })),
      ),
    )
    expect(e instanceof ValidationFailed && pathCodes(e.issues)).toEqual([
      "values.subject:required",
      "values.content:required",
      "values.category:invalid_option",
      "idempotencyKey:invalid_idempotency_key",
    ])
    expect(w.state.calls).not.toContain("tickets.createTicket")
  })
  it("P-FORM-2 no support form (no_support_form), or one that is no longer eligible (form_not_connected): refused", async () => {
    const none = makeWorld(
      fixture((d) => {
        d.portal.supportForm = null
      }),
    )
    expect(failure(await none.run(submitForm(none.viewer("p1"), submission())))).toMatchObject({
      _tag: "ActionNotAllowed",
      code: "no_support_form",
    })
    const unplugged = makeWorld(
      fixture((d) => {
        ;(d.forms[0] as { inboxId: string | null }).inboxId = null
      }),
    )
    const e = failure(await unplugged.run(submitForm(unplugged.viewer("p1"), submission())))
    expect(e).toMatchObject({
      _tag: "ActionNotAllowed",
      code: "form_not_connected",
      reason: "The form is not connected to an inbox or help desk.",
    })
    expect([...none.state.created, ...unplugged.state.created]).toEqual([])
  })
  it.each([
    ["form_missing", (c: Catalog): Catalog => ({ ...c, forms: c.forms.filter((f) => f.id !== "f1") })],
    ["form_inbox_missing", (c: Catalog): Catalog => ({ ...c, inboxes: c.inboxes.filter((i) => i.id !== "ib1") })],
    [
      "form_no_subject_field",
      (c: Catalog): Catalog => ({
        ...c,
        forms: c.forms.map((f) => ({ ...f, fields: f.fields.map((x) => ({ ...x, ticketProperty: null })) })),
      }),
    ],
  ] as const)(
    "P-FORM-2 a form the portal can no longer offer is refused with %s, nothing created",
    async (code, edit) => {
      const w = makeWorld(fixture())
      w.state.catalog = edit(w.state.catalog)
      expect(failure(await w.run(submitForm(w.viewer("p1"), submission())))).toMatchObject({
        _tag: "ActionNotAllowed",
        action: "submitForm",
        code,
      })
      expect(w.state.created).toEqual([])
    },
  )
})

describe("submitForm with files (P-EXT-3)", () => {
  const file = (name: string, size: number) => ({
    name,
    contentType: "application/pdf",
    bytes: new Uint8Array(size).fill(7),
  })
  it("P-EXT-3 the files land on the new ticket's first message, stored under fresh keys", async () => {
    const w = makeWorld(fixture())
    success(await w.run(submitForm(w.viewer("p1"), { ...submission(), attachments: [file("C:\\scan.pdf", 3)] })))
    const [command] = w.state.created
    expect(command?.message.attachments).toMatchObject([{ name: "scan.pdf", contentType: "application/pdf", size: 3 }])
    const key = command?.message.attachments[0]?.blobKey ?? ""
    expect(key).toMatch(/^attachments\/att/)
    expect(w.state.blobs.get(key)).toEqual(new Uint8Array(3).fill(7))
  })
  it("P-EXT-3 a reply's limits: too large, too many; nothing is created", async () => {
    const w = makeWorld(fixture())
    const big = failure(
      await w.run(
        submitForm(w.viewer("p1"), { ...submission(), attachments: [file("big.pdf", 10 * 1024 * 1024 + 1)] }),
      ),
    )
    expect(big).toBeInstanceOf(ValidationFailed)
    expect(pathCodes((big as ValidationFailed).issues)).toEqual(["attachments[0]:file_too_large"])
    const many = failure(
      await w.run(
        submitForm(w.viewer("p1"), {
          ...submission(),
          attachments: Array.from({ length: 11 }, (_, i) => file(`f${i}.pdf`, 1)),
        }),
      ),
    )
    expect(pathCodes((many as ValidationFailed).issues)).toEqual(["attachments:too_many_files"])
    expect(w.state.created).toEqual([])
    expect(w.state.blobs.size).toBe(0)
  })
  it("P-EXT-3 P-SEC-3 the same submission with its files again is one ticket, its files in the fingerprint", async () => {
    const w = makeWorld(fixture())
    const withFile = { ...submission({ idempotencyKey: "form-files" }), attachments: [file("a.pdf", 2)] }
    const first = success(await w.run(submitForm(w.viewer("p1"), withFile)))
    const again = success(await w.run(submitForm(w.viewer("p1"), withFile)))
    expect(again).toEqual({ ticketId: first.ticketId, duplicate: true })
    expect(w.state.created).toHaveLength(1)
    // The stub keeps keys without fingerprints; the fingerprints differ, so a real store refuses other files.
    success(await w.run(submitForm(w.viewer("p1"), { ...withFile, attachments: [file("b.pdf", 2)] })))
    const prints = new Set(w.state.created.map((c) => c.idempotency.fingerprint))
    expect(prints.size).toBe(1)
    const noFiles = success(await w.run(submitForm(w.viewer("p1"), submission({ idempotencyKey: "form-nofiles" }))))
    expect(noFiles.duplicate).toBe(false)
  })
})
