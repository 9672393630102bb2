// Ticket detail (P-LIST-4, P-COM) with the reply (P-ACT-1/2) and close (P-ACT-3) actions.
// A ticket the viewer may not see answers exactly like a missing one: the 404 page (P-VIS-4).
// A refused reply or close says why, translated from the API's refusal code (refusal.<code>).
// P-EXT-1: the requester adds participants by email and removes them (plain forms, no JS needed).
// P-EXT-2: a closed ticket is rated once (`rate` action); `?rate=good|bad` (the "closed" email's
// links) only preselects the choice: a GET never rates.

import { randomUUID } from "node:crypto"
import { personName, splitEmailList } from "@portal/core/rules"
import { fail, redirect } from "@sveltejs/kit"
import { type FieldError, issueError } from "$lib/field-error"
import { refusalCodeOf, refusalKey } from "$lib/i18n/refusal"
import { apiFailure, callerOf, handleLoadFailure } from "$lib/server/api"
import { text } from "$lib/server/forms"
import { languageOf, namedMessage, namedTicket } from "$lib/server/people"
import type { Actions, PageServerLoad } from "./$types"

/** The API's per-file limit (packages/api defaultApiConfig); the API enforces it, the page says it. */
const MAX_FILE_BYTES = 10 * 1024 * 1024

export const load: PageServerLoad = async ({ locals, params, url, parent }) => {
  await parent()
  const caller = callerOf(locals)
  try {
    // P-SEC-6: the API answers what a customer may see; the page embeds only what it shows (no thread).
    const { thread: _thread, ...got } = await caller.tickets.get({ ticketId: params.ticketId })
    const language = languageOf(locals)
    const detail = {
      ...got,
      ticket: namedTicket(got.ticket, language),
      messages: got.messages.map((m) => namedMessage(m, language)),
      // P-EXT-1: names in the portal's language ("伊藤 健" in ja), the email when there is none.
      ...(got.participants === undefined
        ? {}
        : {
            participants: got.participants.map((p) => ({
              id: p.id,
              email: p.email,
              name: personName(p, language),
            })),
          }),
    }
    return {
      detail,
      viewerId: locals.portalRequest?.session?.subject.id ?? null,
      isContact: locals.portalRequest?.session?.subject.type === "contact",
      idempotencyKey: randomUUID(),
      maxFileBytes: MAX_FILE_BYTES,
      confirmingClose: url.searchParams.get("close") === "confirm",
      rateChoice: rateChoiceOf(url.searchParams.get("rate")),
      done: url.searchParams.get("done"),
    }
  } catch (e) {
    return handleLoadFailure(e, url)
  }
}

/** A refused (412) or invalid (400) change of participants as the page shows it; null for anything else. */
const participantsFailure = (e: unknown): { status: number; error: FieldError } | null => {
  const failure = apiFailure(e)
  if (failure?.code === "PRECONDITION_FAILED")
    return { status: 409, error: { key: refusalKey(refusalCodeOf(failure)) ?? "participants.failed" } as FieldError }
  if (failure?.code === "BAD_REQUEST") {
    const issue = failure.issues?.[0]
    return { status: 400, error: issue ? issueError(issue) : ({ key: "participants.failed" } as FieldError) }
  }
  return null
}
const rateChoiceOf = (value: string | null): "good" | "bad" | null =>
  value === "good" || value === "bad" ? value : null

const detailPath = (slug: string, ticketId: string) => `/${slug}/${encodeURIComponent(ticketId)}`

export const actions: Actions = {
  reply: async ({ request, locals, params, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const body = text(data, "text")
    const files = data.getAll("files").filter((f): f is File => f instanceof File && f.size > 0 && f.name !== "")
    if (body === "" && files.length === 0)
      return fail(400, { replyError: { key: "reply.empty" } as FieldError, text: body })
    const attachments = await Promise.all(
      files.map(async (f) => ({
        name: f.name,
        contentType: f.type || "application/octet-stream",
        dataBase64: Buffer.from(await f.arrayBuffer()).toString("base64"),
      })),
    )
    try {
      await caller.tickets.reply({
        ticketId: params.ticketId,
        text: body,
        attachments,
        idempotencyKey: text(data, "idempotencyKey") || randomUUID(),
      })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "PRECONDITION_FAILED")
        return fail(409, {
          replyError: { key: refusalKey(refusalCodeOf(failure)) ?? "reply.failed" } as FieldError,
          text: body,
        })
      // P-SEC-3: this page's key already sent another reply (e.g. back, edit, send): reload for a new one.
      if (failure?.code === "CONFLICT" && failure.reason === "idempotency_key_reused")
        return fail(409, { replyError: { key: "reply.keyReused" } as FieldError, text: body })
      if (failure?.code === "BAD_REQUEST" || failure?.code === "PAYLOAD_TOO_LARGE") {
        // What the API found (e.g. a file over the size limit), translated by its code.
        const issue = failure.issues?.[0]
        return fail(400, {
          replyError: issue ? issueError(issue) : ({ key: "reply.failed" } as FieldError),
          text: body,
        })
      }
      return handleLoadFailure(e, url)
    }
    redirect(303, `${detailPath(params.slug, params.ticketId)}?done=reply`)
  },

  // P-EXT-1: the requester shares the ticket (emails separated by commas, spaces or lines).
  addParticipants: async ({ request, locals, params, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const emails = String(data.get("emails") ?? "").slice(0, 2000)
    const list = splitEmailList(emails)
    if (list.length === 0) return fail(400, { participantsError: { key: "validation.required" } as FieldError, emails })
    try {
      await caller.tickets.addParticipants({ ticketId: params.ticketId, emails: [...list] })
    } catch (e) {
      const refused = participantsFailure(e)
      if (refused !== null) return fail(refused.status, { participantsError: refused.error, emails })
      return handleLoadFailure(e, url)
    }
    redirect(303, `${detailPath(params.slug, params.ticketId)}?done=shared`)
  },

  removeParticipant: async ({ request, locals, params, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    try {
      await caller.tickets.removeParticipant({ ticketId: params.ticketId, contactId: text(data, "contactId") })
    } catch (e) {
      const refused = participantsFailure(e)
      if (refused !== null) return fail(refused.status, { participantsError: refused.error, emails: "" })
      return handleLoadFailure(e, url)
    }
    redirect(303, `${detailPath(params.slug, params.ticketId)}?done=unshared`)
  },

  rate: async ({ request, locals, params, url }) => {
    const caller = callerOf(locals)
    const data = await request.formData()
    const rating = text(data, "rating")
    const comment = text(data, "comment")
    if (rateChoiceOf(rating) === null) return fail(400, { rateError: "rate.choose" as const, comment })
    try {
      await caller.tickets.rate({ ticketId: params.ticketId, rating, ...(comment === "" ? {} : { comment }) })
    } catch (e) {
      const failure = apiFailure(e)
      // P-EXT-2: rated already (another tab, a second click): the page shows the rating given.
      if (failure?.code === "CONFLICT") return fail(409, { rateError: "rate.already" as const, comment })
      if (failure?.code === "PRECONDITION_FAILED")
        return fail(409, { rateError: refusalKey(refusalCodeOf(failure)) ?? ("rate.failed" as const), comment })
      if (failure?.code === "BAD_REQUEST") {
        const issue = failure.issues?.[0]
        return fail(400, { rateIssue: issue ? issueError(issue) : ({ key: "rate.failed" } as FieldError), comment })
      }
      return handleLoadFailure(e, url)
    }
    redirect(303, `${detailPath(params.slug, params.ticketId)}?done=rate#rate`)
  },

  close: async ({ locals, params, url }) => {
    const caller = callerOf(locals)
    try {
      await caller.tickets.close({ ticketId: params.ticketId })
    } catch (e) {
      const failure = apiFailure(e)
      if (failure?.code === "PRECONDITION_FAILED")
        return fail(409, { closeError: refusalKey(refusalCodeOf(failure)) ?? ("close.notAllowed" as const) })
      return handleLoadFailure(e, url)
    }
    redirect(303, `${detailPath(params.slug, params.ticketId)}?done=close`)
  },
}
