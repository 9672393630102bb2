/**
 * What a customer may do with a ticket they can see.
 * - P-ACT-1 Reply to an open ticket.
 * - P-ACT-2 Reply to a closed ticket only where `allowReplyToClosed` is on.
 * - P-ACT-3 Close only where `allowClose` is on, the ticket is open, and a closed stage can be
 *   resolved for its pipeline: the one chosen in `closedStageByPipeline` (it must exist in the
 *   pipeline and be a closed stage), else the pipeline's only closed stage. Several closed stages
 *   and no choice: ambiguous, so closing is refused rather than guessed.
 * - P-ACT-4 A reply on a ticket with no visible thread opens a new email thread in the default
 *   inbox; with no default inbox (or one that no longer exists) the reply is refused.
 * - P-EXT-5 A customer reply to a closed ticket (where P-ACT-2 allows it) moves it to the open
 *   stage `reopenStageByPipeline` names for its pipeline; none named (or one that is not an open
 *   stage of that pipeline): it stays closed.
 * Each refusal carries a code of ACTION_REFUSAL_CODES (domain/Issues.ts), which the portal
 * translates and the API returns, and `refusalText` gives its English text for developers.
 */
import type { Pipeline, StageState } from "../domain/Entities.ts"
import type { InboxId, StageId, ThreadId } from "../domain/Ids.ts"
import type { ActionRefusalCode } from "../domain/Issues.ts"
import type { TicketActions } from "../domain/PortalSettings.ts"

/** Why a reply or a close is refused: the ticket-action codes of ACTION_REFUSAL_CODES. */
export type RefusalReason = Extract<
  ActionRefusalCode,
  | "closed_ticket_reply_disabled"
  | "already_closed"
  | "close_disabled"
  | "no_closed_stage"
  | "ambiguous_closed_stage"
  | "no_default_inbox"
>

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly code: RefusalReason }

const allowed: Decision = { allowed: true }
const refused = (code: RefusalReason): Decision => ({ allowed: false, code })

/** P-ACT-1, P-ACT-2: may the customer reply, given the ticket's stage state? */
export const replyDecision = (state: StageState, actions: Pick<TicketActions, "allowReplyToClosed">): Decision =>
  state === "open" || actions.allowReplyToClosed ? allowed : refused("closed_ticket_reply_disabled")

export const mayReply = (state: StageState, actions: Pick<TicketActions, "allowReplyToClosed">): boolean =>
  replyDecision(state, actions).allowed

export type ClosedStageResolution =
  | { readonly _tag: "Resolved"; readonly stageId: StageId }
  | { readonly _tag: "None" }
  | { readonly _tag: "Ambiguous"; readonly candidates: ReadonlyArray<StageId> }

/** P-ACT-3: the stage a portal close moves the ticket to. */
export const resolveClosedStage = (
  pipeline: Pick<Pipeline, "id" | "stages">,
  actions: Pick<TicketActions, "closedStageByPipeline">,
): ClosedStageResolution => {
  const closed = pipeline.stages.filter((s) => s.state === "closed")
  const mapping = actions.closedStageByPipeline
  const chosen = mapping !== undefined && Object.hasOwn(mapping, pipeline.id) ? mapping[pipeline.id] : undefined
  // A chosen stage that is missing or open is ignored, never used: an open "closed stage" would
  // let a customer "close" a ticket that stays open. Settings validation reports it to the admin.
  if (chosen !== undefined && closed.some((s) => s.id === chosen)) return { _tag: "Resolved", stageId: chosen }
  const [only, ...others] = closed
  if (only === undefined) return { _tag: "None" }
  if (others.length === 0) return { _tag: "Resolved", stageId: only.id }
  return { _tag: "Ambiguous", candidates: closed.map((s) => s.id) }
}

/** The closed stage id, or null when none can be resolved. */
export const closedStageFor = (
  pipeline: Pick<Pipeline, "id" | "stages">,
  actions: Pick<TicketActions, "closedStageByPipeline">,
): StageId | null => {
  const r = resolveClosedStage(pipeline, actions)
  return r._tag === "Resolved" ? r.stageId : null
}

/** P-ACT-3: may the customer close the ticket, and if so into which stage? */
export const closeDecision = (
  state: StageState,
  pipeline: Pick<Pipeline, "id" | "stages"> | undefined,
  actions: Pick<TicketActions, "allowClose" | "closedStageByPipeline">,
):
  | { readonly allowed: true; readonly stageId: StageId }
  | { readonly allowed: false; readonly code: RefusalReason } => {
  if (!actions.allowClose) return { allowed: false, code: "close_disabled" }
  if (state !== "open") return { allowed: false, code: "already_closed" }
  if (pipeline === undefined) return { allowed: false, code: "no_closed_stage" }
  const r = resolveClosedStage(pipeline, actions)
  if (r._tag === "Resolved") return { allowed: true, stageId: r.stageId }
  return { allowed: false, code: r._tag === "None" ? "no_closed_stage" : "ambiguous_closed_stage" }
}

export const mayClose = (
  state: StageState,
  pipeline: Pick<Pipeline, "id" | "stages"> | undefined,
  actions: Pick<TicketActions, "allowClose" | "closedStageByPipeline">,
): boolean => closeDecision(state, pipeline, actions).allowed

/** Where a reply goes (P-ACT-4). */
export type ReplyTarget =
  | { readonly _tag: "Existing"; readonly threadId: ThreadId }
  | { readonly _tag: "New"; readonly inboxId: InboxId; readonly channel: "email" }
  | { readonly _tag: "Refused"; readonly code: "no_default_inbox" }

export const replyTarget = (
  visibleThreadId: ThreadId | null,
  defaultInboxId: InboxId | null,
  knownInboxIds: ReadonlySet<InboxId> | ReadonlyArray<InboxId>,
): ReplyTarget => {
  if (visibleThreadId !== null) return { _tag: "Existing", threadId: visibleThreadId }
  const known = knownInboxIds instanceof Set ? knownInboxIds : new Set(knownInboxIds as ReadonlyArray<InboxId>)
  if (defaultInboxId !== null && known.has(defaultInboxId))
    return { _tag: "New", inboxId: defaultInboxId, channel: "email" }
  return { _tag: "Refused", code: "no_default_inbox" }
}

/** The English text of a refusal (ActionNotAllowed's `reason`); screens translate the code instead. */
export const refusalText = (code: RefusalReason): string => {
  switch (code) {
    case "closed_ticket_reply_disabled":
      return "This ticket is closed. Replies to closed tickets are not allowed on this portal."
    case "already_closed":
      return "This ticket is already closed."
    case "close_disabled":
      return "Closing tickets from the portal is not allowed."
    case "no_closed_stage":
      return "This ticket's pipeline has no closed stage to move it to."
    case "ambiguous_closed_stage":
      return "This ticket's pipeline has several closed stages and none is chosen for the portal."
    case "no_default_inbox":
      return "This ticket has no conversation yet and the portal has no default inbox to start one in."
  }
}

/** P-EXT-5: the stage a customer reply moves a ticket to, or null (it stays where it is). */
export const reopenStageFor = (
  state: StageState,
  pipeline: Pick<Pipeline, "id" | "stages"> | undefined,
  actions: Pick<TicketActions, "reopenStageByPipeline">,
): StageId | null => {
  if (state !== "closed" || pipeline === undefined) return null
  const mapping = actions.reopenStageByPipeline
  const chosen = mapping !== undefined && Object.hasOwn(mapping, pipeline.id) ? mapping[pipeline.id] : undefined
  // Only an open stage of the ticket's pipeline: anything else (validation reports it) keeps it closed.
  return chosen !== undefined && pipeline.stages.some((s) => s.id === chosen && s.state === "open") ? chosen : null
}
