/**
 * Registers every storage contract suite against one shared driver (one database per test file):
 * the layer of each suite runs over the same driver, and the backdoor counts rows with raw SQL.
 */
import { type ApiTokenBackdoor, all, type IdempotencyBackdoor, type IdempotencyRow } from "@portal/storage-contract"
import { sqlBackdoor } from "../../src/Backdoor.ts"
import { layerWithDriver } from "../../src/Layers.ts"
import type { SharedDriver } from "./Databases.ts"

export const contractOn = (name: string, shared: SharedDriver, numRuns?: number) => {
  const backdoor: ApiTokenBackdoor & IdempotencyBackdoor = {
    countRows: async (kind, workspaceId) => sqlBackdoor(await shared.get()).countRows(kind, workspaceId),
    apiTokenRows: async (workspaceId) =>
      (await shared.get()).query("SELECT * FROM api_tokens WHERE workspace_id = $1", [workspaceId]),
    idempotencyRows: async (workspaceId) =>
      (await shared.get()).query<IdempotencyRow & Record<string, unknown>>(
        `SELECT scope, idempotency_key AS key, fingerprint, command, ticket_id AS "ticketId"
         FROM idempotency_keys WHERE workspace_id = $1`,
        [workspaceId],
      ),
  }
  all(name, () => layerWithDriver(shared.get), { backdoor, ...(numRuns === undefined ? {} : { numRuns }) })
}
