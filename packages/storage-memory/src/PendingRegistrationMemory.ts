/**
 * P-AUTH-3: pending self-registrations over the memory state (part of SecurityStore). Consuming
 * one removes it and every other pending registration of its email in one swap; an expired one
 * is never returned. Expired rows of an email are dropped when a new one of that email is made.
 */
import { timeMs } from "@portal/core/domain"
import type { SecurityStoreShape } from "@portal/core/ports"
import { Option } from "effect"
import { copy, type MemoryDb, write } from "./State.ts"

const key = (workspaceId: string, tokenHash: string) => `${workspaceId}\u0000${tokenHash}`

type PendingMethods = Pick<SecurityStoreShape, "createPendingRegistration" | "consumePendingRegistration">

export const pendingRegistrationStore = (db: MemoryDb): PendingMethods => ({
  createPendingRegistration: (pending) =>
    write(db, "createPendingRegistration", (s) => {
      const k = key(pending.workspaceId, pending.tokenHash)
      if (s.pendingRegistrations.has(k)) throw new Error("pending registration token already exists")
      const now = timeMs(pending.createdAt)
      const kept = [...s.pendingRegistrations].filter(
        ([, p]) =>
          p.workspaceId !== pending.workspaceId ||
          p.email.toLowerCase() !== pending.email.toLowerCase() ||
          timeMs(p.expiresAt) > now,
      )
      return [undefined, { ...s, pendingRegistrations: new Map([...kept, [k, copy(pending)]]) }]
    }),
  consumePendingRegistration: (workspaceId, tokenHash, now) =>
    write(db, "consumePendingRegistration", (s) => {
      const found = s.pendingRegistrations.get(key(workspaceId, tokenHash))
      if (found === undefined || timeMs(now) >= timeMs(found.expiresAt)) return [Option.none(), s]
      const kept = [...s.pendingRegistrations].filter(
        ([, p]) => p.workspaceId !== workspaceId || p.email.toLowerCase() !== found.email.toLowerCase(),
      )
      return [Option.some(copy(found)), { ...s, pendingRegistrations: new Map(kept) }]
    }),
})
