/** Small ports for what is not pure: time, ids, password hashing, SHA-256, email. */
import { Context, type Effect } from "effect"
import type { IsoTime } from "../domain/Ids.ts"
import { sha256Hex } from "../rules/Sha256.ts"
import type { MailError } from "./Errors.ts"

export class Clock extends Context.Service<Clock, { readonly now: () => Effect.Effect<IsoTime> }>()(
  "@portal/core/Clock",
) {}

export class IdGenerator extends Context.Service<
  IdGenerator,
  { readonly next: (prefix: string) => Effect.Effect<string> }
>()("@portal/core/IdGenerator") {}

export class PasswordHasher extends Context.Service<
  PasswordHasher,
  {
    readonly hash: (password: string) => Effect.Effect<string>
    readonly verify: (hash: string, password: string) => Effect.Effect<boolean>
  }
>()("@portal/core/PasswordHasher") {}

/**
 * SHA-256 of a text (UTF-8), as lowercase hex: what the stores keep instead of a session or link
 * token (usecases/Tokens.ts `hashToken`), once or twice per request. The platform's crypto where
 * there is one (apps/server provides node:crypto, System.ts); without it, core's own JavaScript
 * (rules/Sha256.ts), so core and its tests need nothing provided.
 */
export interface Sha256HasherShape {
  readonly hex: (text: string) => string
}
export const Sha256Hasher: Context.Reference<Sha256HasherShape> = Context.Reference<Sha256HasherShape>(
  "@portal/core/Sha256Hasher",
  { defaultValue: () => ({ hex: sha256Hex }) },
)

export interface Mail {
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html?: string
  /**
   * Extra headers (notifications, P-NOT): Message-ID, In-Reply-To, References, Reply-To,
   * List-Unsubscribe, List-Unsubscribe-Post. A value with a line break is refused by the Mailer.
   */
  readonly headers?: Readonly<Record<string, string>>
}

export class Mailer extends Context.Service<
  Mailer,
  { readonly send: (mail: Mail) => Effect.Effect<void, MailError> }
>()("@portal/core/Mailer") {}

/**
 * Mail sent off the request path (P-SEC-8): `enqueue` returns at once, whatever the mail and
 * whether or not it will be delivered, so a request that mails costs the same as one that does
 * not. Delivery failures are logged, never returned. Layers: usecases/MailQueue.ts.
 */
export class MailQueue extends Context.Service<
  MailQueue,
  { readonly enqueue: (mail: Mail, what: string) => Effect.Effect<void> }
>()("@portal/core/MailQueue") {}
