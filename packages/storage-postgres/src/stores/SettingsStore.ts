/**
 * SettingsStore on SQL: the portal settings live whole in one jsonb column of the workspace row,
 * with an optimistic version; a save is one conditional UPDATE, so it is applied whole or not at
 * all (P-SET-5), and a stale version writes nothing and fails with Conflict.
 */
import { Conflict, type PortalSettings, SettingsStore, type SettingsStoreShape } from "@portal/core"
import { Effect, Layer, Option } from "effect"
import { Database } from "../Database.ts"
import { toNumber } from "../Driver.ts"
import { Abort } from "../Errors.ts"

export const makeSettingsStore = Effect.gen(function* () {
  const db = yield* Database

  const get: SettingsStoreShape["get"] = (workspaceId) =>
    db.run("SettingsStore.get", async (q) => {
      const [row] = await q.query("SELECT settings, settings_version FROM workspaces WHERE workspace_id = $1", [
        workspaceId,
      ])
      return row === undefined
        ? Option.none()
        : Option.some({ settings: row.settings as PortalSettings, version: toNumber(row.settings_version) })
    })

  const save: SettingsStoreShape["save"] = (workspaceId, settings, expectedVersion) =>
    db.transaction<number, Conflict>("SettingsStore.save", async (tx) => {
      const [row] = await tx.query<{ settings_version: number }>(
        `UPDATE workspaces SET settings = $2::jsonb, settings_version = settings_version + 1
         WHERE workspace_id = $1 AND settings_version = $3 RETURNING settings_version`,
        [workspaceId, JSON.stringify(settings), expectedVersion],
      )
      if (row !== undefined) return toNumber(row.settings_version)
      const [current] = await tx.query("SELECT settings_version FROM workspaces WHERE workspace_id = $1", [workspaceId])
      if (current === undefined) throw new Error(`workspace "${workspaceId}" does not exist`)
      throw new Abort(
        new Conflict({
          reason: `settings are at version ${toNumber(current.settings_version)}, not ${expectedVersion}`,
        }),
      )
    })

  return SettingsStore.of({ get, save })
})

export const layerSettingsStore = Layer.effect(SettingsStore, makeSettingsStore)
