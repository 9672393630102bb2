/** The agent workspace's TicketStore methods on SQL (P-AGT-1..3). */
import type { TicketStoreShape } from "@portal/core"
import { Effect } from "effect"
import type { DatabaseShape } from "../Database.ts"

type AgentMethods = Pick<
  TicketStoreShape,
  "agentList" | "agentRow" | "conversation" | "agentReply" | "agentNote" | "updateTicket"
>

export const makeAgentMethods = (_db: DatabaseShape): AgentMethods => {
  const todo = () => Effect.die("not implemented yet")
  return {
    agentList: todo,
    agentRow: todo,
    conversation: todo,
    agentReply: todo,
    agentNote: todo,
    updateTicket: todo,
  }
}
