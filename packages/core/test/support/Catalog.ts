import type { WorkspaceDocument } from "../../src/domain/index.ts"
import type { Catalog } from "../../src/ports/index.ts"

/** The catalog a WorkspaceStore would return for a document. */
export const catalogOf = (doc: WorkspaceDocument): Catalog => ({
  workspace: doc.workspace,
  domains: doc.domains,
  agents: doc.agents.map(({ password: _, ...a }) => a),
  pipelines: doc.pipelines,
  inboxes: doc.inboxes,
  forms: doc.forms,
  lists: doc.lists.map(({ id, name }) => ({ id, name })),
})
