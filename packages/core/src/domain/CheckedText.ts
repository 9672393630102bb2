/**
 * P-SEC-2 Every string input is checked before it reaches storage: NUL and the other control
 * characters (C0, DEL, C1; free text keeps tab and line breaks), lone surrogates (half of a
 * UTF-16 pair: not Unicode, and PostgreSQL cannot store them) and over-long values are refused
 * with a coded issue (`invalid_characters`, `invalid_unicode`, `too_long`), never a 500.
 * - `Line(max)`: one line (names, emails, ids, keys, cursors, search terms): no control at all;
 * - `Text(max)`: free text (messages, notes, form answers): tab, LF and CR allowed;
 * - `IdString`: what every id of the workspace format is (domain/Ids.ts): a line of
 *   1..ID_MAX_LENGTH characters (ids are index keys: an absurd one must never reach the store);
 * - `checkedStringsIssues(value)` / `CheckedStrings`: the character checks over every string (and
 *   key) of a decoded value, for the inputs in the document's own shapes (tickets, threads,
 *   settings) at the API edge. Lengths there are the fields' own (ids are capped; a document's
 *   texts and base64 files are bounded by the request's size limit).
 * Lengths count UTF-16 units here (a cap against absurd payloads); core's own rules count code
 * points where a limit is a product rule (reply text, names).
 */
import { Schema } from "effect"
import { type FieldIssue, fieldIssue, SCHEMA_CHECK_MESSAGES } from "./Issues.ts"

/** The longest id accepted anywhere. */
export const ID_MAX_LENGTH = 255

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const LINE_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export type TextKind = "line" | "text"

/** The first unsafe character of a string: its code, position and the character itself; or null. */
export const firstUnsafeCharacter = (
  s: string,
  kind: TextKind,
): {
  readonly code: "invalid_characters" | "invalid_unicode"
  readonly index: number
  readonly char: string
} | null => {
  const control = (kind === "line" ? LINE_CONTROLS : TEXT_CONTROLS).exec(s)
  if (control !== null) return { code: "invalid_characters", index: control.index, char: control[0] }
  const surrogate = LONE_SURROGATE.exec(s)
  if (surrogate !== null) return { code: "invalid_unicode", index: surrogate.index, char: surrogate[0] }
  return null
}

/** The code of what is wrong with a string's characters, or null. */
export const unsafeCharacters = (s: string, kind: TextKind): "invalid_characters" | "invalid_unicode" | null =>
  firstUnsafeCharacter(s, kind)?.code ?? null

export const tooLongMessage = (max: number) => `Use at most ${max} characters.`

const charactersFilter = (kind: TextKind) =>
  Schema.makeFilter<string>((s) => {
    const code = unsafeCharacters(s, kind)
    return code === null ? undefined : SCHEMA_CHECK_MESSAGES[code]
  })

/** One line of at most `max` characters: no control characters, well-formed Unicode. */
export const Line = (max: number) =>
  Schema.String.check(charactersFilter("line"), Schema.isMaxLength(max, { message: tooLongMessage(max) }))

/** Free text of at most `max` characters: tab and line breaks allowed, no other control character. */
export const Text = (max: number) =>
  Schema.String.check(charactersFilter("text"), Schema.isMaxLength(max, { message: tooLongMessage(max) }))

/** A non-empty line of at most `max` characters. */
export const NonEmptyLine = (max: number) => Line(max).check(Schema.isMinLength(1, { message: "Enter a value." }))

/** What every id is: a non-empty line of at most ID_MAX_LENGTH characters (domain/Ids.ts brands it). */
export const IdString = NonEmptyLine(ID_MAX_LENGTH)

type Key = string | number
type UnsafeCode = "invalid_characters" | "invalid_unicode"

const messageOf = (code: UnsafeCode) => SCHEMA_CHECK_MESSAGES[code]

/** Every unsafe string of a value (keys as lines, values as text), depth-first, at most `limit`. */
const unsafeStrings = (
  value: unknown,
  limit: number,
): ReadonlyArray<{ readonly path: ReadonlyArray<Key>; readonly code: UnsafeCode }> => {
  const found: Array<{ path: ReadonlyArray<Key>; code: UnsafeCode }> = []
  const visit = (v: unknown, at: ReadonlyArray<Key>) => {
    if (found.length >= limit) return
    if (typeof v === "string") {
      const code = unsafeCharacters(v, "text")
      if (code !== null) found.push({ path: at, code })
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) visit(item, [...at, i])
    } else if (typeof v === "object" && v !== null)
      for (const [key, item] of Object.entries(v)) {
        const code = unsafeCharacters(key, "line")
        if (code !== null && found.length < limit) found.push({ path: [...at, key], code })
        visit(item, [...at, key])
      }
  }
  visit(value, [])
  return found
}

/** A path as issues write it: `values.email`, `attachments[2].name`. */
export const issuePathOf = (path: ReadonlyArray<Key>): string =>
  path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? key : `${out}.${key}`),
    "",
  )

/**
 * Every string of a decoded value, keys included, checked as free text (keys as lines): the
 * issues with their paths (empty: acceptable), at most `limit`.
 */
export const checkedStringsIssues = (value: unknown, limit = 20): ReadonlyArray<FieldIssue> =>
  unsafeStrings(value, limit).map((u) => fieldIssue(issuePathOf(u.path), u.code, messageOf(u.code)))

/** The filter form of `checkedStringsIssues`, for a whole input schema (`schema.check(CheckedStrings)`). */
export const CheckedStrings = Schema.makeFilter<unknown>((value) =>
  unsafeStrings(value, 20).map((u) => ({ path: u.path, issue: messageOf(u.code) })),
)
