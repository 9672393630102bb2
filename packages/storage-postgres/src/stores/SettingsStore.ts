/**
 * SettingsStore on SQL: the portal settings live whole in one jsonb column of the workspace row,
 * with an optimistic version; a save is one conditional UPDATE, so it is applied whole or not at
 * all (P-SET-5), and a stale version writes nothing and fails with Conflict.
 */
import { PortalSettings } from "@portal/core/domain"
import { Conflict, SettingsStore, type SettingsStoreShape } from "@portal/core/ports"
import { Effect, Layer, Option, Schema } from "effect"
import { Database } from "../Database.ts"
import { Abort } from "../Errors.ts"
import { Column, findOne } from "../Sql.ts"

/** Read on every request: a named statement. The stored settings decode with core's schema. */
const GET = {
  name: "portal_settings_get",
  text: "SELECT settings, settings_version, catalog_version FROM workspaces WHERE workspace_id = $1",
}
const SettingsRow = Schema.Struct({
  settings: PortalSettings,
  settings_version: Column.Int8,
  catalog_version: Column.Int8,
})
const VersionRow = Schema.Struct({ settings_version: Column.Int8 })

export const makeSettingsStore = Effect.gen(function* () {
  const db = yield* Database

  const get: SettingsStoreShape["get"] = (workspaceId) =>
    db.findOne("SettingsStore.get", SettingsRow, GET, [workspaceId]).pipe(
      Effect.map(
        Option.map((row) => ({
          settings: row.settings,
          version: row.settings_version,
          catalogVersion: row.catalog_version,
        })),
      ),
    )

  const save: SettingsStoreShape["save"] = (workspaceId, settings, expectedVersion) =>
    db.transaction<number, Conflict>("SettingsStore.save", async (tx) => {
      const row = await findOne(
        tx,
        VersionRow,
        `UPDATE workspaces SET settings = $2::jsonb, settings_version = settings_version + 1
         WHERE workspace_id = $1 AND settings_version = $3 RETURNING settings_version`,
        [workspaceId, JSON.stringify(settings), expectedVersion],
      )
      if (row !== undefined) return row.settings_version
      const current = await findOne(tx, VersionRow, "SELECT settings_version FROM workspaces WHERE workspace_id = $1", [
        workspaceId,
      ])
      if (current === undefined) throw new Error(`workspace "${workspaceId}" does not exist`)
      throw new Abort(
        new Conflict({
          reason: `settings are at version ${current.settings_version}, not ${expectedVersion}`,
        }),
      )
    })

  return SettingsStore.of({ get, save })
})

export const layerSettingsStore = Layer.effect(SettingsStore, makeSettingsStore)
