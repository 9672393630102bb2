/**
 * P-AGT-3: what changed between the ticket an agent saw and the ticket as it is now, for the
 * page to say after the API refused a change made against an old version. The form posts what
 * the agent saw (stage, owner, number of messages and notes, version); the action reads the
 * ticket again and compares.
 */
import type { AgentDetail } from "./types"

export interface Seen {
  readonly version: number
  readonly stageId: string
  readonly ownerId: string
  readonly items: number
}

export interface ConflictView {
  readonly fromVersion: number
  readonly toVersion: number
  readonly stage: { readonly from: string; readonly to: string } | null
  readonly owner: { readonly from: string | null; readonly to: string | null } | null
  /** Messages, comments and notes added since. */
  readonly items: number
}

/** The number of messages (every thread) and notes of a ticket. */
export const itemsOf = (detail: AgentDetail): number =>
  detail.threads.reduce((n, thread) => n + thread.messages.length, 0) + detail.notes.length

export const seenOf = (data: FormData): Seen => {
  const int = (name: string) => {
    const n = Number(data.get(name))
    return Number.isSafeInteger(n) && n >= 0 ? n : 0
  }
  const str = (name: string) => {
    const v = data.get(name)
    return typeof v === "string" ? v.slice(0, 255) : ""
  }
  return { version: int("version"), stageId: str("seenStage"), ownerId: str("seenOwner"), items: int("seenItems") }
}

export const conflictOf = (seen: Seen, current: AgentDetail): ConflictView => {
  const stages = current.choices.pipelines.flatMap((p) => p.stages)
  const stageLabel = (id: string) => stages.find((s) => s.id === id)?.label ?? id
  const agentName = (id: string) =>
    id === "" ? null : (current.choices.agents.find((a) => a.id === id)?.name ?? current.ticket.owner?.name ?? id)
  const nowOwner = current.ticket.owner?.id ?? ""
  return {
    fromVersion: seen.version,
    toVersion: current.ticket.version,
    stage:
      seen.stageId !== "" && seen.stageId !== current.ticket.stage.id
        ? { from: stageLabel(seen.stageId), to: current.ticket.stage.label }
        : null,
    owner: seen.ownerId !== nowOwner ? { from: agentName(seen.ownerId), to: current.ticket.owner?.name ?? null } : null,
    items: Math.max(0, itemsOf(current) - seen.items),
  }
}
