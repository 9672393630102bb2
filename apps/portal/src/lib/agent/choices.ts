/**
 * The choices of the list's pipeline, stage and owner filters. The API's list gives none of its
 * own, so they are what the rows of the page show (pipelines with their stages, owners), plus
 * the filter in force so it stays selectable; when the API gives choices, those are used.
 */
import type { AgentRow } from "./types"

export interface FilterChoices {
  readonly pipelines: ReadonlyArray<{
    readonly id: string
    readonly label: string
    readonly stages: ReadonlyArray<{ readonly id: string; readonly label: string }>
  }>
  readonly agents: ReadonlyArray<{ readonly id: string; readonly name: string }>
}

export const choicesFromRows = (rows: ReadonlyArray<AgentRow>): FilterChoices => {
  const pipelines = new Map<string, { id: string; label: string; stages: Map<string, string> }>()
  const agents = new Map<string, string>()
  for (const row of rows) {
    const pipeline = pipelines.get(row.pipeline.id) ?? {
      id: row.pipeline.id,
      label: row.pipeline.label,
      stages: new Map<string, string>(),
    }
    pipeline.stages.set(row.stage.id, row.stage.label)
    pipelines.set(pipeline.id, pipeline)
    if (row.owner) agents.set(row.owner.id, row.owner.name)
  }
  return {
    pipelines: [...pipelines.values()].map((p) => ({
      id: p.id,
      label: p.label,
      stages: [...p.stages].map(([id, label]) => ({ id, label })),
    })),
    agents: [...agents].map(([id, name]) => ({ id, name })),
  }
}
