/**
 * P-AUTH-3: pending self-registrations on SQL (part of SecurityStore; table of migration 0005).
 * Creating one first drops the email's expired rows; consuming one is a single statement that
 * deletes its row (only while unexpired) and every other row of the same email, so two uses of
 * one link cannot both succeed: the second finds nothing.
 */
import type { ConsentRecord, IsoTime, PendingRegistration, SecurityStoreShape, WorkspaceId } from "@portal/core"
import { timeMs } from "@portal/core"
import { Option } from "effect"
import type { DatabaseShape } from "../Database.ts"
import { emailKey } from "./Rows.ts"

type PendingMethods = Pick<SecurityStoreShape, "createPendingRegistration" | "consumePendingRegistration">

const fromRow = (r: Record<string, unknown>): PendingRegistration => {
  const consent = typeof r.consent === "string" ? JSON.parse(r.consent) : (r.consent ?? null)
  return {
    workspaceId: r.workspace_id as WorkspaceId,
    tokenHash: r.token_hash as string,
    email: r.email as string,
    passwordHash: r.password_hash as string,
    firstName: r.first_name as string,
    lastName: r.last_name as string,
    consent: consent as Omit<ConsentRecord, "contactId"> | null,
    createdAt: r.created_at as IsoTime,
    expiresAt: r.expires_at as IsoTime,
  }
}

export const pendingRegistrationStore = (db: DatabaseShape): PendingMethods => ({
  createPendingRegistration: (p) =>
    db.transaction("SecurityStore.createPendingRegistration", async (tx) => {
      await tx.query(
        "DELETE FROM pending_registrations WHERE workspace_id = $1 AND email_key = $2 AND expires_ms <= $3",
        [p.workspaceId, emailKey(p.email), timeMs(p.createdAt)],
      )
      await tx.query(
        `INSERT INTO pending_registrations (workspace_id, token_hash, email, email_key, password_hash, first_name,
           last_name, consent, created_at, expires_at, expires_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11)`,
        [
          p.workspaceId,
          p.tokenHash,
          p.email,
          emailKey(p.email),
          p.passwordHash,
          p.firstName,
          p.lastName,
          p.consent === null ? null : JSON.stringify(p.consent),
          p.createdAt,
          p.expiresAt,
          timeMs(p.expiresAt),
        ],
      )
    }),
  consumePendingRegistration: (workspaceId, tokenHash, now) =>
    db.run("SecurityStore.consumePendingRegistration", async (q) => {
      const [row] = await q.query(
        `WITH used AS (
           DELETE FROM pending_registrations WHERE workspace_id = $1 AND token_hash = $2 AND expires_ms > $3
           RETURNING *),
         others AS (
           DELETE FROM pending_registrations p USING used
           WHERE p.workspace_id = used.workspace_id AND p.email_key = used.email_key AND p.token_hash <> used.token_hash)
         SELECT * FROM used`,
        [workspaceId, tokenHash, timeMs(now)],
      )
      return row === undefined ? Option.none() : Option.some(fromRow(row))
    }),
})
