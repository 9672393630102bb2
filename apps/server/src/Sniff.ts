/**
 * Content type from the bytes themselves (magic numbers), for attachment downloads: the type a
 * customer declared at upload is never trusted, so an uploaded "image.png" that is really HTML
 * is served as application/octet-stream. Small on purpose (the `file-type` package needs Node 22):
 * the common document, image and archive formats; text only when it is valid UTF-8 without NULs,
 * and then always text/plain (never text/html, never SVG: both can run script in a browser).
 */

interface Signature {
  readonly type: string
  readonly offset: number
  readonly bytes: ReadonlyArray<number>
}

const ascii = (s: string): Array<number> => Array.from(s, (c) => c.charCodeAt(0))

const SIGNATURES: ReadonlyArray<Signature> = [
  { type: "application/pdf", offset: 0, bytes: ascii("%PDF-") },
  { type: "image/png", offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", offset: 0, bytes: [0xff, 0xd8, 0xff] },
  { type: "image/gif", offset: 0, bytes: ascii("GIF87a") },
  { type: "image/gif", offset: 0, bytes: ascii("GIF89a") },
  { type: "image/tiff", offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { type: "image/tiff", offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { type: "image/x-icon", offset: 0, bytes: [0x00, 0x00, 0x01, 0x00] },
  { type: "application/gzip", offset: 0, bytes: [0x1f, 0x8b] },
  { type: "application/x-7z-compressed", offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { type: "application/vnd.rar", offset: 0, bytes: ascii("Rar!\x1a\x07") },
  { type: "audio/mpeg", offset: 0, bytes: ascii("ID3") },
  { type: "audio/ogg", offset: 0, bytes: ascii("OggS") },
  { type: "audio/flac", offset: 0, bytes: ascii("fLaC") },
  { type: "video/webm", offset: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { type: "application/x-msdownload", offset: 0, bytes: ascii("MZ") },
]

const startsWithAt = (bytes: Uint8Array, offset: number, sig: ReadonlyArray<number>): boolean =>
  bytes.length >= offset + sig.length && sig.every((b, i) => bytes[offset + i] === b)

const OCTET = "application/octet-stream"

/** RIFF containers carry their real type at bytes 8..11. */
const riff = (bytes: Uint8Array): string | null => {
  if (!startsWithAt(bytes, 0, ascii("RIFF"))) return null
  if (startsWithAt(bytes, 8, ascii("WEBP"))) return "image/webp"
  if (startsWithAt(bytes, 8, ascii("WAVE"))) return "audio/wav"
  if (startsWithAt(bytes, 8, ascii("AVI "))) return "video/x-msvideo"
  return OCTET
}

/** ISO base media (mp4, mov, heic, avif): "ftyp" at byte 4, the brand after it. */
const isoMedia = (bytes: Uint8Array): string | null => {
  if (!startsWithAt(bytes, 4, ascii("ftyp")) || bytes.length < 12) return null
  const brand = String.fromCharCode(...bytes.subarray(8, 12))
  if (brand === "avif") return "image/avif"
  if (brand === "heic" || brand === "heix" || brand === "mif1") return "image/heic"
  if (brand === "qt  ") return "video/quicktime"
  return "video/mp4"
}

/** A zip, and the Office Open XML / OpenDocument formats that are zips underneath. */
const zip = (bytes: Uint8Array): string | null => {
  if (!startsWithAt(bytes, 0, [0x50, 0x4b, 0x03, 0x04]) && !startsWithAt(bytes, 0, [0x50, 0x4b, 0x05, 0x06]))
    return null
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 4096)))
  if (head.includes("mimetypeapplication/vnd.oasis.opendocument.text")) return "application/vnd.oasis.opendocument.text"
  if (head.includes("mimetypeapplication/vnd.oasis.opendocument.spreadsheet"))
    return "application/vnd.oasis.opendocument.spreadsheet"
  if (head.includes("word/")) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
  if (head.includes("xl/")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
  if (head.includes("ppt/")) return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
  return "application/zip"
}

const isUtf8Text = (bytes: Uint8Array): boolean => {
  if (bytes.includes(0)) return false
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)))
    return true
  } catch {
    // A multi-byte character cut at the 64 KiB boundary is still text.
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024 - 3)))
      return true
    } catch {
      return false
    }
  }
}

/** "BM" alone is too short to trust: also ask for a known DIB header size at byte 14. */
const bmp = (bytes: Uint8Array): boolean =>
  startsWithAt(bytes, 0, ascii("BM")) &&
  bytes.length >= 18 &&
  [12, 40, 52, 56, 108, 124].includes((bytes[14] ?? 0) | ((bytes[15] ?? 0) << 8)) &&
  bytes[16] === 0 &&
  bytes[17] === 0

/** The content type the bytes show, or application/octet-stream. */
export const sniffContentType = (bytes: Uint8Array): string => {
  for (const sig of SIGNATURES) if (startsWithAt(bytes, sig.offset, sig.bytes)) return sig.type
  if (bmp(bytes)) return "image/bmp"
  const special = riff(bytes) ?? isoMedia(bytes) ?? zip(bytes)
  if (special !== null) return special
  if (bytes.length > 0 && isUtf8Text(bytes)) return "text/plain; charset=utf-8"
  return OCTET
}
