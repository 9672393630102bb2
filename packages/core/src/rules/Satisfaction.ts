/**
 * P-EXT-2 Satisfaction: a customer who can see a closed ticket rates it good or bad, with an
 * optional comment of at most SATISFACTION_COMMENT_MAX_LENGTH characters, once. An open ticket
 * cannot be rated (`rating_needs_closed_ticket`); a rated one answers Conflict `already_rated`.
 */
import type { Satisfaction, SatisfactionRating, StageState } from "../domain/Entities.ts"
import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"

export const SATISFACTION_COMMENT_MAX_LENGTH = 2000

export type SatisfactionDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: "rating_needs_closed_ticket" | "already_rated" }

/** May the ticket be rated now? Closed and not yet rated. */
export const rateDecision = (state: StageState, existing: Satisfaction | null): SatisfactionDecision => {
  if (existing !== null) return { allowed: false, code: "already_rated" }
  if (state !== "closed") return { allowed: false, code: "rating_needs_closed_ticket" }
  return { allowed: true }
}

/** The rating's input problems: a rating of "good" or "bad", a comment within its limit. */
export const rateInputIssues = (input: { readonly rating: string; readonly comment?: string | undefined }) => {
  const issues: Array<FieldIssue> = []
  if (input.rating !== "good" && input.rating !== "bad")
    issues.push(fieldIssue("rating", "invalid_input", 'Choose "good" or "bad".'))
  if (input.comment !== undefined && codePoints(input.comment) > SATISFACTION_COMMENT_MAX_LENGTH)
    issues.push(tooLong("comment", SATISFACTION_COMMENT_MAX_LENGTH))
  return issues
}

/** The stored rating: a blank comment is no comment. */
export const satisfactionOf = (rating: SatisfactionRating, comment: string | undefined, at: string): Satisfaction => {
  const text = comment?.trim() ?? ""
  return text === "" ? { rating, at } : { rating, comment: text, at }
}
