/**
 * Shared security state, kept in the store so that every server node sees the same
 * (DESIGN.md: nodes are stateless):
 * - single-use keys: a JWT `jti`, a SAML assertion id (claimed once, refused after);
 * - single-use, expiring tokens for invitations and password resets (only a hash is stored);
 * - pending self-registrations (P-AUTH-3): what a registrant typed, kept until they open the
 *   single-use link mailed to the address (only the link token's hash is stored).
 * - fixed-window rate limits on sign-in attempts and emails sent (a hit can be taken back: a
 *   successful sign-in does not count, P-SEC-4).
 */
import { Context, type Effect, type Option } from "effect"
import type { ContactId, IsoTime, WorkspaceId } from "../domain/Ids.ts"
import type { ConsentRecord } from "./ContactStore.ts"
import type { StoreError } from "./WorkspaceStore.ts"

export type TokenPurpose = "invitation" | "passwordReset" | "emailSignIn"

export interface RateDecision {
  readonly allowed: boolean
  /** Hits counted in the current window, this one included. */
  readonly count: number
  readonly retryAfterSeconds: number
}

/**
 * P-AUTH-3: a self-registration waiting for its email to be proven. Nothing of it is a login yet:
 * no contact is created or changed until the link is used.
 */
export interface PendingRegistration {
  readonly workspaceId: WorkspaceId
  /** SHA-256 of the link's token (the token itself is only in the email). */
  readonly tokenHash: string
  /** Normalized (trimmed, lower-case) email. */
  readonly email: string
  readonly passwordHash: string
  readonly firstName: string
  readonly lastName: string
  /** The consent as given at registration (P-CON-2/3); its contact is known only when the link is used. */
  readonly consent: Omit<ConsentRecord, "contactId"> | null
  readonly createdAt: IsoTime
  readonly expiresAt: IsoTime
}

export interface SecurityPruneCounts {
  readonly singleUseKeys: number
  readonly tokens: number
  readonly pendingRegistrations: number
  readonly rateLimits: number
}

export interface SecurityStoreShape {
  /** true the first time a (namespace, key) is claimed; false every later time. */
  readonly claimOnce: (
    workspaceId: WorkspaceId,
    namespace: string,
    key: string,
    expiresAt: IsoTime,
  ) => Effect.Effect<boolean, StoreError>
  readonly createToken: (token: {
    readonly workspaceId: WorkspaceId
    readonly purpose: TokenPurpose
    readonly tokenHash: string
    readonly contactId: ContactId
    readonly expiresAt: IsoTime
  }) => Effect.Effect<void, StoreError>
  /** Consume a token once: its contact if it exists, is unexpired at `now` and unused; none otherwise. */
  readonly consumeToken: (
    workspaceId: WorkspaceId,
    purpose: TokenPurpose,
    tokenHash: string,
    now: IsoTime,
  ) => Effect.Effect<Option.Option<ContactId>, StoreError>
  /** The contact of a token that could be consumed at `now` (exists, unexpired, unused); nothing is changed. */
  readonly findToken: (
    workspaceId: WorkspaceId,
    purpose: TokenPurpose,
    tokenHash: string,
    now: IsoTime,
  ) => Effect.Effect<Option.Option<ContactId>, StoreError>
  /**
   * P-SEC-5: consume a token once, as consumeToken, and in the same atomic step end every other
   * unused token of its contact, whatever their purpose (older reset links, invitations).
   */
  readonly consumeTokenEndingOthers: (
    workspaceId: WorkspaceId,
    purpose: TokenPurpose,
    tokenHash: string,
    now: IsoTime,
  ) => Effect.Effect<Option.Option<ContactId>, StoreError>
  /** Count one hit of `key` in the fixed window containing `now`. */
  readonly hitRateLimit: (
    key: string,
    windowSeconds: number,
    limit: number,
    now: IsoTime,
  ) => Effect.Effect<RateDecision, StoreError>
  /** P-AUTH-3: record a pending registration (several may wait for one email; each link works alone). */
  readonly createPendingRegistration: (pending: PendingRegistration) => Effect.Effect<void, StoreError>
  /**
   * P-AUTH-3: use a registration link once. The pending registration of `tokenHash` if it exists
   * and is unexpired at `now`; it is removed, and so is every other pending registration of the
   * same email in the workspace (their links stop working). None otherwise, removing nothing.
   */
  readonly consumePendingRegistration: (
    workspaceId: WorkspaceId,
    tokenHash: string,
    now: IsoTime,
  ) => Effect.Effect<Option.Option<PendingRegistration>, StoreError>
  /**
   * Take back one hit of `key` in the window containing `now` (never below zero; a hit of an
   * earlier window is not taken from the current one).
   */
  readonly undoRateLimitHit: (key: string, windowSeconds: number, now: IsoTime) => Effect.Effect<void, StoreError>
  /**
   * Housekeeping (issue 12): delete, up to `limit` rows of each kind, what can never be used again
   * at `now`: single-use keys whose expiry is at or before now (a replay is refused by its own
   * expiry by then), tokens used or expired, pending registrations expired, rate-limit rows whose
   * window ended at or before now (a new hit starts a new window anyway). Counts per kind; a
   * count below `limit` means that kind is done.
   */
  readonly pruneExpired: (now: IsoTime, limit: number) => Effect.Effect<SecurityPruneCounts, StoreError>
}

export class SecurityStore extends Context.Service<SecurityStore, SecurityStoreShape>()("@portal/core/SecurityStore") {}
