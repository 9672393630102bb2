/**
 * WorkspaceStore on SQL: host lookup, the catalog the rules need, and whole-document
 * import (one transaction, replacing the workspace) and export (one consistent snapshot). The
 * single catalog writes (agents, domains, companies, lists) are in CatalogWrites.ts.
 */
import {
  type Catalog,
  type Conflict,
  referenceProblems,
  StorageError,
  type WorkspaceId,
  WorkspaceStore,
  type WorkspaceStoreShape,
} from "@portal/core"
import { Effect, Layer, Option } from "effect"
import { Database } from "../Database.ts"
import { readDocument } from "../ExportDocument.ts"
import { loadDocument } from "../ImportDocument.ts"
import { makeCatalogWrites } from "./CatalogWrites.ts"
import { agentFrom, domainFrom, formFrom, hostKey, inboxFrom, pipelinesFrom, workspaceFrom } from "./Rows.ts"

export const makeWorkspaceStore = Effect.gen(function* () {
  const db = yield* Database

  const findByHost: WorkspaceStoreShape["findByHost"] = (host) =>
    db.run("WorkspaceStore.findByHost", async (q) => {
      const [row] = await q.query("SELECT workspace_id, host, language FROM domains WHERE host_key = $1", [
        hostKey(host),
      ])
      return row === undefined
        ? Option.none()
        : Option.some({ workspaceId: row.workspace_id as WorkspaceId, domain: domainFrom(row) })
    })

  const catalog: WorkspaceStoreShape["catalog"] = (workspaceId) =>
    db.transaction("WorkspaceStore.catalog", async (tx) => {
      const [ws] = await tx.query("SELECT workspace_id, name, branding FROM workspaces WHERE workspace_id = $1", [
        workspaceId,
      ])
      if (ws === undefined) return Option.none<Catalog>()
      const all = (sql: string) => tx.query(sql, [workspaceId])
      const domains = await all("SELECT host, language FROM domains WHERE workspace_id = $1 ORDER BY ord")
      const agents = await all(
        "SELECT agent_id, name, email, permissions FROM agents WHERE workspace_id = $1 ORDER BY ord",
      )
      const pipelines = await all("SELECT pipeline_id, label FROM pipelines WHERE workspace_id = $1 ORDER BY ord")
      const stages = await all(
        "SELECT pipeline_id, stage_id, label, state FROM stages WHERE workspace_id = $1 ORDER BY pipeline_id, position",
      )
      const inboxes = await all("SELECT inbox_id, name, kind FROM inboxes WHERE workspace_id = $1 ORDER BY ord")
      const forms = await all("SELECT form_id, name, inbox_id, fields FROM forms WHERE workspace_id = $1 ORDER BY ord")
      const lists = await all("SELECT list_id, name FROM lists WHERE workspace_id = $1 ORDER BY ord")
      return Option.some<Catalog>({
        workspace: workspaceFrom(ws),
        domains: domains.map(domainFrom),
        agents: agents.map(agentFrom),
        pipelines: pipelinesFrom(pipelines, stages),
        inboxes: inboxes.map(inboxFrom),
        forms: forms.map(formFrom),
        lists: lists.map((l) => ({ id: l.list_id, name: l.name }) as Catalog["lists"][number]),
      })
    })

  const listWorkspaceIds: WorkspaceStoreShape["listWorkspaceIds"] = () =>
    db.run("WorkspaceStore.listWorkspaceIds", async (q) =>
      (await q.query("SELECT workspace_id FROM workspaces ORDER BY ord")).map((r) => r.workspace_id as WorkspaceId),
    )

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

  /**
   * After an import (committed): move the trigram indexes' pending entries into the indexes and
   * refresh the planner's statistics of every table. Without it, searches scan
   * every ticket until autovacuum comes by (a server) or forever (PGlite runs no autovacuum), and
   * `tickets.get` plans its visibility check without statistics (docs/http-bench.md, findings 3
   * and 4). Best effort: the import is already committed, so a failure here changes nothing.
   */
  const settleAfterImport = db
    .run("WorkspaceStore.settleAfterImport", async (q) => {
      await q.query(
        "SELECT gin_clean_pending_list('tickets_subject_trgm'::regclass), gin_clean_pending_list('tickets_content_trgm'::regclass)",
      )
      // Every table, the small catalog ones too: without statistics for `stages`, the status
      // filter's plan scanned the whole workspace (docs/http-bench.md, finding 7). ANALYZE samples
      // a bounded number of rows per table, so its cost does not grow with the data.
      await q.query("ANALYZE")
    })
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
