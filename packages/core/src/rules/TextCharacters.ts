/**
 * Characters a stored text may hold (P-SEC-2, P-SEC-7), the same rule as the API edge's.
 * - No NUL and no other C0 or C1 control character or DEL: PostgreSQL cannot store NUL in text or
 *   jsonb (it would come back as a raw database error), and the others have no business in a
 *   name, an address or a label. Free text (a ticket's content, a message, a note, a notice, a
 *   PEM key) may also hold tab and line breaks.
 * - No lone surrogate (half of a UTF-16 pair): it cannot be encoded as UTF-8, so a database
 *   would silently store a replacement character instead.
 */
import { firstUnsafeCharacter } from "../domain/CheckedText.ts"
import { type FieldIssue, fieldIssue } from "../domain/Issues.ts"

/**
 * The first problem with the characters of `value` at `path`, or null (acceptable): the API
 * edge's one character rule (domain/CheckedText.ts), worded for an import report.
 */
export const textCharacterIssue = (value: string, path: string, freeText: boolean): FieldIssue | null => {
  const bad = firstUnsafeCharacter(value, freeText ? "text" : "line")
  if (bad === null) return null
  if (bad.code === "invalid_unicode")
    return fieldIssue(path, bad.code, `Contains a lone UTF-16 surrogate at position ${bad.index}.`, {
      position: bad.index,
    })
  const name = bad.char === "\u0000" ? "NUL" : `U+${bad.char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`
  return fieldIssue(
    path,
    bad.code,
    `Contains the control character ${name} at position ${bad.index}${freeText ? "" : "; line breaks and tabs are not allowed here either"}.`,
    { character: name, position: bad.index },
  )
}

/** Is `value` longer than `max` code points? Cheap for huge strings (no array of code points). */
export const longerThan = (value: string, max: number): boolean =>
  value.length > max && (value.length > 2 * max || [...value].length > max)
