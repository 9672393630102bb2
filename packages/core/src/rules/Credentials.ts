/**
 * What a customer's credentials must look like (P-AUTH-1, P-AUTH-2, P-AUTH-3).
 * - Passwords: at least 10 characters (counted as Unicode code points, so "パスワード" counts 5),
 *   not only spaces, at most 256 characters (an upper bound keeps a hash request cheap; long
 *   passphrases still fit), and not the email address itself.
 * - Emails: one "@", a non-empty local part, a dotted or "localhost"-style domain, no spaces; stored
 *   trimmed and lowercased so that "Ken@Globex.test" and "ken@globex.test" are one contact.
 * Each function returns every problem with the field path it concerns, for ValidationFailed.
 */

import { codePoints, type FieldIssue, fieldIssue, tooLong } from "../domain/Issues.ts"

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 256
export const EMAIL_MAX_LENGTH = 254

/** Problems with a new password (empty: acceptable). */
export const passwordIssues = (password: string, email?: string, path = "password"): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  const length = codePoints(password)
  if (length < PASSWORD_MIN_LENGTH)
    issues.push(
      fieldIssue(path, "too_short", `Use at least ${PASSWORD_MIN_LENGTH} characters.`, { min: PASSWORD_MIN_LENGTH }),
    )
  else if (password.trim().length === 0) issues.push(fieldIssue(path, "blank", "A password cannot be only spaces."))
  if (length > PASSWORD_MAX_LENGTH) issues.push(tooLong(path, PASSWORD_MAX_LENGTH))
  if (email !== undefined && password.trim().toLowerCase() === normalizeEmail(email))
    issues.push(fieldIssue(path, "password_is_email", "Do not use your email address as your password."))
  return issues
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
