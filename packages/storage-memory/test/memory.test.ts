// The storage contract against the reference adapter: every suite, with a backdoor on the state.
import { type ApiTokenBackdoor, all, type IdempotencyBackdoor } from "@portal/storage-contract"
import { apiTokenRows, layerMemoryWith, makeMemoryDb, memoryBackdoor } from "../src/index.ts"

const db = makeMemoryDb()
const backdoor: ApiTokenBackdoor & IdempotencyBackdoor = {
  ...memoryBackdoor(db),
  apiTokenRows: async (workspaceId) =>
    apiTokenRows(db).flatMap((r) => (r.workspaceId === workspaceId ? [{ ...r }] : [])),
  idempotencyRows: async (workspaceId) =>
    [...(db.state.workspaces.get(workspaceId)?.idempotency.values() ?? [])].map((r) => ({
      scope: r.scope,
      key: r.key,
      fingerprint: r.fingerprint,
      command: r.command,
      ticketId: r.ticketId,
    })),
}
all("memory", () => layerMemoryWith(db), { backdoor })
