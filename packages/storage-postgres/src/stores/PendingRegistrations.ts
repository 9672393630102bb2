/**
 * P-AUTH-3: pending self-registrations on SQL (part of SecurityStore; table of migration 0005).
 * Creating one first drops the email's expired rows; consuming one is a single statement that
 * deletes its row (only while unexpired) and every other row of the same email, so two uses of
 * one link cannot both succeed: the second finds nothing.
 */
import { IsoTime, timeMs, WorkspaceId } from "@portal/core/domain"
import type { PendingRegistration, SecurityStoreShape } from "@portal/core/ports"
import { Effect, Option, Schema } from "effect"
import type { DatabaseShape } from "../Database.ts"
import { emailKey } from "./Rows.ts"

/** The consent as stored (jsonb; a string when an older row held it as JSON text). */
const StoredConsent = Schema.Struct({
  noticeText: Schema.String,
  checkboxLabel: Schema.String,
  legalUrl: Schema.NullOr(Schema.String),
  textVersion: Schema.String,
  givenAt: IsoTime,
})
const PendingRow = Schema.Struct({
  workspace_id: WorkspaceId,
  token_hash: Schema.String,
  email: Schema.String,
  password_hash: Schema.String,
  first_name: Schema.String,
  last_name: Schema.String,
  consent: Schema.NullOr(Schema.Union([StoredConsent, Schema.fromJsonString(StoredConsent)])),
  created_at: IsoTime,
  expires_at: IsoTime,
})

type PendingMethods = Pick<SecurityStoreShape, "createPendingRegistration" | "consumePendingRegistration">

const fromRow = (r: typeof PendingRow.Type): PendingRegistration => ({
  workspaceId: r.workspace_id,
  tokenHash: r.token_hash,
  email: r.email,
  passwordHash: r.password_hash,
  firstName: r.first_name,
  lastName: r.last_name,
  consent: r.consent,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
})

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
    db
      .findOne(
        "SecurityStore.consumePendingRegistration",
        PendingRow,
        `WITH used AS (
           DELETE FROM pending_registrations WHERE workspace_id = $1 AND token_hash = $2 AND expires_ms > $3
           RETURNING *),
         others AS (
           DELETE FROM pending_registrations p USING used
           WHERE p.workspace_id = used.workspace_id AND p.email_key = used.email_key AND p.token_hash <> used.token_hash)
         SELECT * FROM used`,
        [workspaceId, tokenHash, timeMs(now)],
      )
      .pipe(Effect.map(Option.map(fromRow))),
})
