/**
 * Raw reads of the memory state for the storage contract's write checks (the memory twin of
 * the PostgreSQL adapter's SQL backdoor). Structurally a `Backdoor` of @portal/storage-contract.
 */
import type { RowKind } from "@portal/storage-contract"
import type { MemoryDb } from "./State.ts"

export const memoryBackdoor = (db: MemoryDb) => ({
  countRows: async (kind: RowKind, workspaceId: string): Promise<number> => {
    if (kind === "blobs") return db.state.blobs.get(workspaceId)?.size ?? 0
    if (kind === "sessions") return [...db.state.sessions.values()].filter((s) => s.workspaceId === workspaceId).length
    if (kind === "webhook_endpoints") return db.state.webhooks.filter((e) => e.workspaceId === workspaceId).length
    if (kind === "webhook_deliveries")
      return db.state.webhookDeliveries.filter((d) => d.workspaceId === workspaceId).length
    const ws = db.state.workspaces.get(workspaceId)
    if (ws === undefined) return 0
    switch (kind) {
      case "messages":
        return ws.threads.reduce((n, t) => n + t.messages.length, 0)
      case "threads":
        return ws.threads.length
      case "attachments":
        return ws.attachments.size
      case "ticket_satisfaction":
        return ws.satisfaction?.size ?? 0
      default:
        return ws[kind].length
    }
  },
})
