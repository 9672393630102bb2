// One ticket in the agent workspace (P-AGT-2/3): every thread, comment and note, who sees it on
// the portal, and the actions: reply (attachments), internal note (attachments), stage and owner.
// Each change carries the version the agent saw; a change against an old version is refused by
// the API (P-AGT-3) and the page says what changed, keeping what the agent wrote.
import { randomUUID } from "node:crypto"
import { fail, redirect } from "@sveltejs/kit"
import { conflictOf, itemsOf, seenOf } from "$lib/agent/conflict"
import { agentFailure, agentOf, isVersionConflict, signInFirst } from "$lib/agent/server"
import { type FieldError, issueError } from "$lib/field-error"
import { refusalCodeOf, refusalKey } from "$lib/i18n/refusal"
import { apiFailure } from "$lib/server/api"
import { text } from "$lib/server/forms"
import type { Actions, PageServerLoad, RequestEvent } from "./$types"

/** The API's per-file limit (packages/api defaultApiConfig); the API enforces it, the page says it. */
const MAX_FILE_BYTES = 10 * 1024 * 1024

export const load: PageServerLoad = async ({ locals, params, url, parent, depends }) => {
  depends("agent:ticket")
  const { shell } = await parent()
  const agent = agentOf(locals, shell)
  if (agent === null) return signInFirst(url)
  try {
    const detail = await agent.caller.agent.tickets.get({ ticketId: params.ticketId })
    return {
      detail,
      items: itemsOf(detail),
      agentId: agent.agentId,
      replyKey: randomUUID(),
      noteKey: randomUUID(),
      maxFileBytes: MAX_FILE_BYTES,
      done: url.searchParams.get("done"),
    }
  } catch (e) {
    return agentFailure(e, url)
  }
}

const selfPath = (ticketId: string) => `/agent/${encodeURIComponent(ticketId)}`

const context = (event: RequestEvent) => {
  const agent = agentOf(event.locals, null)
  if (agent === null) return signInFirst(event.url)
  return agent
}

/** After a refused change: the ticket as it is now, compared with what the agent saw. */
const conflictAnswer = async (event: RequestEvent, data: FormData, form: "reply" | "note" | "update", body = "") => {
  const { caller } = context(event)
  const current = await caller.agent.tickets.get({ ticketId: event.params.ticketId })
  return fail(409, { form, conflict: conflictOf(seenOf(data), current), text: body })
}

/** Reply and note: text and files, as the customer's reply posts them (base64 into the API). */
const post = async (event: RequestEvent, kind: "reply" | "note") => {
  const { caller } = context(event)
  const data = await event.request.formData()
  const body = text(data, "text")
  const files = data.getAll("files").filter((f): f is File => f instanceof File && f.size > 0 && f.name !== "")
  if (body === "" && files.length === 0)
    return fail(400, { form: kind, error: { key: "reply.empty" } as FieldError, text: body })
  const attachments = await Promise.all(
    files.map(async (f) => ({
      name: f.name,
      contentType: f.type || "application/octet-stream",
      dataBase64: Buffer.from(await f.arrayBuffer()).toString("base64"),
    })),
  )
  const input = {
    ticketId: event.params.ticketId,
    version: seenOf(data).version,
    text: body,
    attachments,
    idempotencyKey: text(data, "idempotencyKey") || randomUUID(),
  }
  try {
    if (kind === "reply") await caller.agent.tickets.reply(input)
    else await caller.agent.tickets.note(input)
  } catch (e) {
    if (isVersionConflict(e)) return conflictAnswer(event, data, kind, body)
    const failure = apiFailure(e)
    if (failure?.code === "CONFLICT")
      return fail(409, { form: kind, error: { key: "reply.keyReused" } as FieldError, text: body })
    if (failure?.code === "PRECONDITION_FAILED")
      return fail(409, {
        form: kind,
        error: { key: refusalKey(refusalCodeOf(failure)) ?? "agent.failed" } as FieldError,
        text: body,
      })
    if (failure?.code === "BAD_REQUEST" || failure?.code === "PAYLOAD_TOO_LARGE") {
      const issue = failure.issues?.[0]
      return fail(400, {
        form: kind,
        error: issue ? issueError(issue) : ({ key: "agent.failed" } as FieldError),
        text: body,
      })
    }
    return agentFailure(e, event.url)
  }
  redirect(303, `${selfPath(event.params.ticketId)}?done=${kind}`)
}

/** Stage and owner (closing is moving to a closed stage). */
const update = async (event: RequestEvent, done: "update" | "close") => {
  const { caller } = context(event)
  const data = await event.request.formData()
  const seen = seenOf(data)
  const stageId = done === "close" ? text(data, "closeStage") : text(data, "stageId")
  const ownerId = data.has("ownerId") ? text(data, "ownerId") : seen.ownerId
  if (stageId === seen.stageId && ownerId === seen.ownerId)
    return fail(400, { form: "update" as const, error: { key: "agent.ticket.noChange" } as FieldError })
  try {
    await caller.agent.tickets.update({
      ticketId: event.params.ticketId,
      version: seen.version,
      ...(stageId !== "" && stageId !== seen.stageId ? { stageId } : {}),
      ...(ownerId !== seen.ownerId ? { ownerId: ownerId === "" ? null : ownerId } : {}),
    })
  } catch (e) {
    if (isVersionConflict(e)) return conflictAnswer(event, data, "update")
    const failure = apiFailure(e)
    if (failure?.code === "BAD_REQUEST") {
      const issue = failure.issues?.[0]
      return fail(400, {
        form: "update" as const,
        error: issue ? issueError(issue) : ({ key: "agent.failed" } as FieldError),
      })
    }
    return agentFailure(e, event.url)
  }
  redirect(303, `${selfPath(event.params.ticketId)}?done=${done}`)
}

export const actions: Actions = {
  reply: (event) => post(event, "reply"),
  note: (event) => post(event, "note"),
  update: (event) => update(event, "update"),
  close: (event) => update(event, "close"),
}
