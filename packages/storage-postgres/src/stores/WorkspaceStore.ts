/**
 * WorkspaceStore on SQL: host lookup, the catalog the rules need, and whole-document
 * import (one transaction, replacing the workspace) and export (one consistent snapshot). The
 * single catalog writes (agents, domains, companies, lists) are in CatalogWrites.ts.
 */
import { referenceProblems, WorkspaceId } from "@portal/core/domain"
import { type Catalog, type Conflict, StorageError, WorkspaceStore, type WorkspaceStoreShape } from "@portal/core/ports"
import { Effect, Layer, Option, Schema } from "effect"
import { Database } from "../Database.ts"
import { readDocument } from "../ExportDocument.ts"
import { loadDocument, settleImported } from "../ImportDocument.ts"
import { makeCatalogWrites } from "./CatalogWrites.ts"
import {
  AgentRow,
  agentFrom,
  DomainRow,
  domainFrom,
  FormRow,
  formFrom,
  hostKey,
  InboxRow,
  inboxFrom,
  ListRow,
  PipelineRow,
  pipelinesFrom,
  StageRow,
  WorkspaceRow,
  workspaceFrom,
} from "./Rows.ts"

/** Every request starts here (host → workspace): a named statement, planned once per connection. */
const FIND_BY_HOST = {
  name: "portal_domain_by_host",
  text: "SELECT workspace_id, host, language FROM domains WHERE host_key = $1",
}
const HostRow = Schema.Struct({ ...DomainRow.fields, workspace_id: WorkspaceId })

/** The rows of one catalog table as a JSON array, in display order (`ord` unless given). */
const rowsOf = (columns: string, table: string, order = "ord") =>
  `(SELECT coalesce(json_agg(x ORDER BY ${order}), '[]'::json)
    FROM (SELECT ${columns} FROM ${table} WHERE workspace_id = w.workspace_id) x) AS ${table}`

/**
 * The whole catalog in ONE statement (it was 8 SELECTs in a BEGIN … COMMIT, 10 round trips): one
 * statement reads one snapshot, so the parts are as consistent as the transaction made them.
 */
const CATALOG = {
  name: "portal_catalog",
  text: `SELECT w.workspace_id, w.name, w.branding,
    ${rowsOf("host, language, ord", "domains")},
    ${rowsOf("agent_id, name, email, permissions, ord", "agents")},
    ${rowsOf("pipeline_id, label, ord", "pipelines")},
    ${rowsOf("pipeline_id, stage_id, label, state, position", "stages", "pipeline_id, position")},
    ${rowsOf("inbox_id, name, kind, ord", "inboxes")},
    ${rowsOf("form_id, name, inbox_id, fields, ord", "forms")},
    ${rowsOf("list_id, name, ord", "lists")}
  FROM workspaces w WHERE w.workspace_id = $1`,
}
const CatalogRow = Schema.Struct({
  ...WorkspaceRow.fields,
  domains: Schema.Array(DomainRow),
  agents: Schema.Array(AgentRow),
  pipelines: Schema.Array(PipelineRow),
  stages: Schema.Array(StageRow),
  inboxes: Schema.Array(InboxRow),
  forms: Schema.Array(FormRow),
  lists: Schema.Array(ListRow),
})

export const makeWorkspaceStore = Effect.gen(function* () {
  const db = yield* Database

  const findByHost: WorkspaceStoreShape["findByHost"] = (host) =>
    db
      .findOne("WorkspaceStore.findByHost", HostRow, FIND_BY_HOST, [hostKey(host)])
      .pipe(Effect.map(Option.map((row) => ({ workspaceId: row.workspace_id, domain: domainFrom(row) }))))

  const catalog: WorkspaceStoreShape["catalog"] = (workspaceId) =>
    db.findOne("WorkspaceStore.catalog", CatalogRow, CATALOG, [workspaceId]).pipe(
      Effect.map(
        Option.map(
          (r): Catalog => ({
            workspace: workspaceFrom(r),
            domains: r.domains.map(domainFrom),
            agents: r.agents.map(agentFrom),
            pipelines: pipelinesFrom(r.pipelines, r.stages),
            inboxes: r.inboxes.map(inboxFrom),
            forms: r.forms.map(formFrom),
            lists: r.lists.map((l) => ({ id: l.list_id, name: l.name })),
          }),
        ),
      ),
    )

  const listWorkspaceIds: WorkspaceStoreShape["listWorkspaceIds"] = () =>
    db
      .findAll(
        "WorkspaceStore.listWorkspaceIds",
        Schema.Struct({ workspace_id: WorkspaceId }),
        "SELECT workspace_id FROM workspaces ORDER BY ord",
      )
      .pipe(Effect.map((rows) => rows.map((r) => r.workspace_id)))

  const importDocument: WorkspaceStoreShape["importDocument"] = (doc, secrets) =>
    Effect.suspend(() => {
      // The use-case checked the document already; a store still refuses a broken one whole.
      const problems = referenceProblems(doc)
      return problems.length > 0
        ? Effect.fail(
            new StorageError({
              method: "WorkspaceStore.importDocument",
              cause: `invalid document: ${problems.join("; ")}`,
            }),
          )
        : db
            .transaction<void, Conflict>("WorkspaceStore.importDocument", (tx) => loadDocument(tx, doc, secrets))
            .pipe(Effect.andThen(settleAfterImport))
    })

  /** After an import (committed): ImportDocument.ts `settleImported`. Best effort: the import is already committed. */
  const settleAfterImport = db
    .run("WorkspaceStore.settleAfterImport", () => settleImported(db.driver))
    .pipe(Effect.ignore)

  const exportDocument: WorkspaceStoreShape["exportDocument"] = (workspaceId) =>
    db.transaction("WorkspaceStore.exportDocument", async (tx) =>
      Option.fromNullishOr(await readDocument(tx, workspaceId)),
    )

  return WorkspaceStore.of({
    findByHost,
    catalog,
    listWorkspaceIds,
    importDocument,
    exportDocument,
    ...makeCatalogWrites(db),
  })
})

export const layerWorkspaceStore = Layer.effect(WorkspaceStore, makeWorkspaceStore)
