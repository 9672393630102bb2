/**
 * What a customer's credentials must look like (P-AUTH-1, P-AUTH-2, P-AUTH-3).
 * - Passwords: at least 10 characters (counted as Unicode code points, so "パスワード" counts 5),
 *   not only spaces, at most 256 characters (an upper bound keeps a hash request cheap; long
 *   passphrases still fit), and not the email address itself.
 * - Not the obvious guesses either (hole 12b): a password that contains the email address, or its
 *   local part when that has at least 4 letters or digits ("ken.tanaka" in "KenTanaka-2026"), or
 *   the portal's name (4+ letters or digits), compared ignoring case, spaces and punctuation; or
 *   one of the common passwords of CommonPasswords.ts, maybe followed by digits or symbols
 *   ("password1234"). Each has its own code: password_contains_email, password_contains_portal_name,
 *   password_too_common (password_is_email keeps its meaning: the password is the email).
 * - Emails: one "@", a non-empty local part, a dotted or "localhost"-style domain, no spaces; stored
 *   trimmed and lowercased so that "Ken@Globex.test" and "ken@globex.test" are one contact.
 * Each function returns every problem with the field path it concerns, for ValidationFailed.
 */

import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"
import { isCommonPassword } from "./CommonPasswords.ts"

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 256
export const EMAIL_MAX_LENGTH = 254

/** What the password must not contain: the account's email, the portal's name. */
export interface PasswordContext {
  readonly email?: string | undefined
  readonly portalName?: string | undefined
}

/** Shorter words are too likely to occur by chance inside a good passphrase. */
const MIN_WORD_TO_REFUSE = 4

/** Lowercase letters and digits only, so "Ken.Tanaka" and "ken tanaka" compare alike. */
const fold = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")

/**
 * Problems with a new password (empty: acceptable). The second argument is the account's email, or
 * the email and the portal's name.
 */
export const passwordIssues = (
  password: string,
  about?: string | PasswordContext,
  path = "password",
): ReadonlyArray<FieldIssue> => {
  const context: PasswordContext = typeof about === "string" ? { email: about } : (about ?? {})
  const email = context.email
  const issues: Array<FieldIssue> = []
  const length = codePoints(password)
  if (length < PASSWORD_MIN_LENGTH)
    issues.push(
      fieldIssue(path, "too_short", `Use at least ${PASSWORD_MIN_LENGTH} characters.`, { min: PASSWORD_MIN_LENGTH }),
    )
  else if (password.trim().length === 0) issues.push(fieldIssue(path, "blank", "A password cannot be only spaces."))
  if (length > PASSWORD_MAX_LENGTH) issues.push(tooLong(path, PASSWORD_MAX_LENGTH))
  const isEmail = email !== undefined && password.trim().toLowerCase() === normalizeEmail(email)
  if (isEmail) issues.push(fieldIssue(path, "password_is_email", "Do not use your email address as your password."))
  // The guessable ones, once the basics hold (one message at a time is enough).
  if (issues.length > 0) return issues
  const folded = fold(password)
  if (email !== undefined && emailWords(email).some((word) => folded.includes(word)))
    issues.push(fieldIssue(path, "password_contains_email", "Do not use your email address in your password."))
  const name = fold(context.portalName ?? "")
  if (name.length >= MIN_WORD_TO_REFUSE && folded.includes(name))
    issues.push(fieldIssue(path, "password_contains_portal_name", "Do not use the portal's name in your password."))
  if (isCommonPassword(password))
    issues.push(
      fieldIssue(path, "password_too_common", "This password is too common and easy to guess. Choose another one."),
    )
  return issues
}

/** The whole email and its local part (when long enough), folded. */
const emailWords = (email: string): ReadonlyArray<string> => {
  const normalized = normalizeEmail(email)
  const local = fold(normalized.slice(0, Math.max(0, normalized.lastIndexOf("@"))))
  return [fold(normalized), local].filter((word) => word.length >= MIN_WORD_TO_REFUSE)
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase()

const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*$/

/** Problems with an email address (empty: acceptable). */
export const emailIssues = (email: string, path = "email"): ReadonlyArray<FieldIssue> => {
  const e = normalizeEmail(email)
  if (e.length === 0) return [fieldIssue(path, "required", "Enter your email address.")]
  if (e.length > EMAIL_MAX_LENGTH) return [tooLong(path, EMAIL_MAX_LENGTH)]
  if (!EMAIL_PATTERN.test(e)) return [fieldIssue(path, "invalid_email", "Enter a valid email address.")]
  return []
}

/**
 * A stored login as a document carries it (P-DATA-1): an argon2id hash in PHC form,
 * `$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>` (unpadded base64), as the
 * identity package's hasher writes it. Anything else (another algorithm, a plain password, a
 * truncated string) is refused rather than stored as a login nobody can use.
 */
const ARGON2ID_PHC = /^\$argon2id\$v=19\$m=\d{1,10},t=\d{1,10},p=\d{1,3}\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{16,}$/

export const passwordHashIssues = (hash: string, path = "passwordHash"): ReadonlyArray<FieldIssue> =>
  ARGON2ID_PHC.test(hash)
    ? []
    : [
        fieldIssue(
          path,
          "invalid_input",
          "Expected an argon2id hash in PHC form ($argon2id$v=19$m=…,t=…,p=…$salt$hash).",
        ),
      ]
