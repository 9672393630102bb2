// The shapes the agent pages render, as the API's agent procedures return them (packages/api).
import type { Caller } from "$lib/server/api"

type AgentApi = Caller["agent"]["tickets"]
export type AgentListing = Awaited<ReturnType<AgentApi["list"]>>
export type AgentRow = AgentListing["items"][number]
export type AgentDetail = Awaited<ReturnType<AgentApi["get"]>>
export type AgentThread = AgentDetail["threads"][number]
export type AgentMessage = AgentThread["messages"][number]
export type AgentNote = AgentDetail["notes"][number]
export type PipelineChoice = AgentDetail["choices"]["pipelines"][number]
export type AgentChoice = AgentDetail["choices"]["agents"][number]
