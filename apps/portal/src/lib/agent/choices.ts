/**
 * The choices of the list's pipeline, stage and owner filters: the workspace's pipelines with
 * their stages and its agents, as `agent.tickets.list` gives them (core's agentListTickets).
 */
export interface FilterChoices {
  readonly pipelines: ReadonlyArray<{
    readonly id: string
    readonly label: string
    readonly stages: ReadonlyArray<{ readonly id: string; readonly label: string }>
  }>
  readonly agents: ReadonlyArray<{ readonly id: string; readonly name: string }>
}
