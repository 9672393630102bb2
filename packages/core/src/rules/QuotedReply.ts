/**
 * P-NOT-5 "quoted history is stripped": the new text of an email reply, without the message it
 * quotes and without the sender's signature. Mail clients mark these in a handful of ways, in
 * English and Japanese; what is cut, from the first such mark on:
 * - an attribution line: "On <date>, <name> <<email>> wrote:" (Gmail, Apple Mail, Thunderbird; may
 *   wrap over up to three lines); "<date> <name> <<email>>:" with a numeric or 年月日 date (Gmail ja:
 *   "2026年12月5日(土) 10:00 Ken Ito <ken@globex.test>:"); "…のメッセージ:" / "…のメール:" /
 *   "…は書きました:" (Apple Mail and iOS ja, Thunderbird ja);
 * - a separator: "-----Original Message-----", "-----元のメッセージ-----", Outlook's underscore rule;
 * - an Outlook header block: "From:" / "差出人:" / "送信者:" followed within four lines by
 *   "Sent:" / "Date:" / "送信日時:" / "日付:";
 * and, anywhere, lines quoted with ">" (the quoted message, and inline quotes between answers);
 * then the signature from the last "-- " line (RFC 3676), and a trailing "Sent from my iPhone" /
 * "iPhoneから送信" / "Get Outlook for …" line. The text before stays as written.
 * Why our own rule: the maintained npm parser (email-reply-parser 2.3) needs Node 22 and knows
 * none of the Japanese attribution lines above; talon/planer-style HTML parsing needs a DOM.
 */

const ON_WROTE = /^\s*On\s[\s\S]{0,300}\bwrote:\s*$/
const DATE_START = /^\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})/
const JA_ATTRIBUTION = /(のメッセージ|のメール|書きました|wrote)\s*[:：]\s*$/
const ADDRESS_COLON = /<\s*[^<>\s]+@[^<>\s]+\s*>\s*[:：]\s*$/
const SEPARATOR = /^\s*-{2,}\s*(Original Message|元のメッセージ|オリジナル\s*メッセージ)\s*-{2,}\s*$/i
const OUTLOOK_RULE = /^\s*_{20,}\s*$/
const HEADER_FROM = /^\s*\*?(From|差出人|送信者)\*?\s*[:：]/i
const HEADER_SENT = /^\s*\*?(Sent|Date|送信日時|日付|日時)\*?\s*[:：]/i
const SIGNATURE = /^-- ?$/
const SENT_FROM =
  /^\s*(Sent from my .{1,40}|Sent from .{1,40} for .{1,40}|Get Outlook for .{1,40}|.{1,20}から送信|Outlook for .{1,20} を入手)\s*$/i

/** Whether the attribution or header that starts at `i` opens the quoted history. */
const opensHistory = (lines: ReadonlyArray<string>, i: number): boolean => {
  const line = lines[i] as string
  if (SEPARATOR.test(line) || OUTLOOK_RULE.test(line)) return true
  // An attribution may be wrapped by the client: try it joined with the next two lines.
  for (let n = 1; n <= 3 && i + n <= lines.length; n++) {
    const joined = lines.slice(i, i + n).join(" ")
    if (ON_WROTE.test(joined)) return true
    if (DATE_START.test(joined) && (ADDRESS_COLON.test(joined) || JA_ATTRIBUTION.test(joined))) return true
    if (n === 1 && JA_ATTRIBUTION.test(joined) && /[<@]/.test(joined)) return true
  }
  if (HEADER_FROM.test(line))
    for (let k = i + 1; k <= i + 4 && k < lines.length; k++) if (HEADER_SENT.test(lines[k] as string)) return true
  return false
}

const trimEnd = (lines: Array<string>): Array<string> => {
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === "") lines.pop()
  return lines
}

/** The reply's own text: quoted history, ">" quotes and the signature removed; trimmed. */
export const replyTextOf = (body: string): string => {
  const all = body.replace(/\r\n?/g, "\n").split("\n")
  let end = all.length
  for (let i = 0; i < all.length; i++)
    if (opensHistory(all, i)) {
      end = i
      break
    }
  let lines = all.slice(0, end).filter((line) => !/^\s*>/.test(line))
  const signature = lines.findLastIndex((line) => SIGNATURE.test(line))
  if (signature >= 0) lines = lines.slice(0, signature)
  lines = trimEnd(lines)
  if (lines.length > 0 && SENT_FROM.test(lines[lines.length - 1] as string)) lines = trimEnd(lines.slice(0, -1))
  // Collapse the blank lines a removed quote leaves behind, and trim the ends.
  const out: Array<string> = []
  for (const line of lines) {
    const blank = line.trim() === ""
    if (blank && (out.length === 0 || (out[out.length - 1] as string).trim() === "")) continue
    out.push(line.replace(/\s+$/, ""))
  }
  return trimEnd(out).join("\n")
}
