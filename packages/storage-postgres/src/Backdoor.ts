/**
 * Raw SQL reads around the adapter, for the storage contract's write checks (a `Backdoor` of
 * @portal/storage-contract) and for tests that must see what was really written.
 */
import type { RowKind } from "@portal/storage-contract"
import { type Driver, toNumber } from "./Driver.ts"

export const sqlBackdoor = (driver: Driver) => ({
  countRows: async (kind: RowKind, workspaceId: string): Promise<number> => {
    const [row] = await driver.query(`SELECT count(*) AS n FROM ${kind} WHERE workspace_id = $1`, [workspaceId])
    return toNumber(row?.n)
  },
})

/** Every table of the schema with its row count (all workspaces): proves "nothing was written". */
export const tableCounts = async (driver: Driver): Promise<Record<string, number>> => {
  const tables = await driver.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
  )
  const counts: Record<string, number> = {}
  for (const { name } of tables) {
    const [row] = await driver.query(`SELECT count(*) AS n FROM "${name}"`)
    counts[name] = toNumber(row?.n)
  }
  return counts
}
