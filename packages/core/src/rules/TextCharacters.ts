/**
 * Characters a stored text may hold (P-SEC-2, P-SEC-7).
 * - No NUL and no other C0 control character or DEL: PostgreSQL cannot store NUL in text or
 *   jsonb (it would come back as a raw database error), and the others have no business in a
 *   name, an address or a label. Free text (a ticket's content, a message, a note, a notice, a
 *   PEM key) may also hold tab and line breaks.
 * - No lone surrogate (half of a UTF-16 pair): it cannot be encoded as UTF-8, so a database
 *   would silently store a replacement character instead.
 */
import { type FieldIssue, fieldIssue } from "../domain/Issues.ts"

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** The first problem with the characters of `value` at `path`, or null (acceptable). */
export const textCharacterIssue = (value: string, path: string, freeText: boolean): FieldIssue | null => {
  const control = (freeText ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL).exec(value)
  if (control !== null) {
    const code = control[0].charCodeAt(0)
    const name = code === 0 ? "NUL" : `U+${code.toString(16).toUpperCase().padStart(4, "0")}`
    return fieldIssue(
      path,
      "invalid_input",
      `Contains the control character ${name} at position ${control.index}${freeText ? "" : "; line breaks and tabs are not allowed here either"}.`,
      { character: name, position: control.index },
    )
  }
  const surrogate = LONE_SURROGATE.exec(value)
  if (surrogate !== null)
    return fieldIssue(path, "invalid_input", `Contains a lone UTF-16 surrogate at position ${surrogate.index}.`, {
      position: surrogate.index,
    })
  return null
}

/** Is `value` longer than `max` code points? Cheap for huge strings (no array of code points). */
export const longerThan = (value: string, max: number): boolean =>
  value.length > max && (value.length > 2 * max || [...value].length > max)
