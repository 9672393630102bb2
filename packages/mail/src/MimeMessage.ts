/**
 * A minimal MIME reader for the test SMTP server: headers (unfolded, RFC 2047 encoded-words
 * decoded), and the text/plain and text/html bodies of a single-part or multipart message
 * (base64, quoted-printable, 7bit/8bit; any charset TextDecoder knows). Not a general parser.
 */

export interface ParsedMessage {
  /** Lower-cased header names; decoded values; the first occurrence wins. */
  readonly headers: Readonly<Record<string, string>>
  readonly subject: string
  readonly text: string
  readonly html: string
}

const decoderFor = (charset: string) => {
  try {
    return new TextDecoder(charset.toLowerCase())
  } catch {
    return new TextDecoder("utf-8")
  }
}

/** Quoted-printable to bytes (soft line breaks removed). `q` is RFC 2047's Q: "_" is a space. */
export const decodeQuotedPrintable = (input: string, q = false): Uint8Array => {
  const s = (q ? input.replace(/_/g, " ") : input).replace(/=\r?\n/g, "")
  const bytes: number[] = []
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3)
    if (s[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(s[i] ?? "", "utf8"))
    }
  }
  return Uint8Array.from(bytes)
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g

/** RFC 2047: decodes encoded-words; whitespace between two adjacent encoded-words is dropped. */
export const decodeEncodedWords = (value: string): string =>
  value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(ENCODED_WORD, (_, charset: string, encoding: string, text: string) => {
      const bytes = encoding.toUpperCase() === "B" ? Buffer.from(text, "base64") : decodeQuotedPrintable(text, true)
      return decoderFor(charset.split("*")[0] ?? "utf-8").decode(bytes)
    })

const splitHeaders = (raw: string): { headers: Record<string, string>; body: string } => {
  const normalized = raw.replace(/\r\n/g, "\n")
  const end = normalized.indexOf("\n\n")
  const head = end === -1 ? normalized : normalized.slice(0, end)
  const body = end === -1 ? "" : normalized.slice(end + 2)
  const headers: Record<string, string> = {}
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":")
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    headers[name] ??= line.slice(colon + 1).trim()
  }
  return { headers, body }
}

const param = (header: string, name: string): string | undefined =>
  new RegExp(`;\\s*${name}="?([^";]+)"?`, "i").exec(header)?.[1]

const decodeBody = (body: string, headers: Record<string, string>): string => {
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase()
  const charset = param(headers["content-type"] ?? "", "charset") ?? "utf-8"
  const bytes =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64")
      : encoding === "quoted-printable"
        ? decodeQuotedPrintable(body)
        : Buffer.from(body, "utf8")
  return decoderFor(charset).decode(bytes).replace(/\r\n/g, "\n")
}

/** Collects the text/plain and text/html leaves of a (possibly nested) multipart entity. */
const collect = (raw: string, out: { text: string; html: string }): void => {
  const { headers, body } = splitHeaders(raw)
  const type = (headers["content-type"] ?? "text/plain").toLowerCase()
  const boundary = param(headers["content-type"] ?? "", "boundary")
  if (type.startsWith("multipart/") && boundary) {
    const parts = body.split(`--${boundary}`).slice(1)
    for (const part of parts) {
      if (part.startsWith("--")) break
      collect(part.replace(/^\n/, "").replace(/\n$/, ""), out)
    }
    return
  }
  if (type.startsWith("text/html")) out.html ||= decodeBody(body, headers)
  else if (type.startsWith("text/plain")) out.text ||= decodeBody(body, headers)
}

export const parseMessage = (raw: string): ParsedMessage => {
  const { headers } = splitHeaders(raw)
  const decoded = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, decodeEncodedWords(v)]))
  const out = { text: "", html: "" }
  collect(raw, out)
  return { headers: decoded, subject: decoded.subject ?? "", text: out.text.replace(/\n$/, ""), html: out.html }
}
