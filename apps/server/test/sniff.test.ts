/** The magic-byte sniffer behind /files: the bytes decide, never the uploader's declared type. */
import { describe, expect, it } from "vitest"
import { asciiFileName, contentDisposition } from "../src/http/Files.ts"
import { sniffContentType } from "../src/Sniff.ts"

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))))

describe("sniffContentType", () => {
  it.each([
    ["application/pdf", bytes("%PDF-1.7\n")],
    ["image/png", bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])],
    ["image/jpeg", bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])],
    ["image/gif", bytes("GIF89a\x01\x00")],
    ["image/webp", bytes("RIFF\x00\x00\x00\x00WEBPVP8 ")],
    ["video/mp4", bytes("\x00\x00\x00\x18ftypmp42")],
    ["application/zip", bytes("PK\x03\x04\x14\x00\x00\x00")],
    [
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      bytes("PK\x03\x04\x14\x00\x00\x00word/document.xml"),
    ],
    ["image/bmp", bytes("BM\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", [40, 0, 0, 0])],
    ["text/plain; charset=utf-8", bytes("hello, 世界\n")],
  ])("%s", (type, data) => {
    expect(sniffContentType(data)).toBe(type)
  })

  it("serves HTML, SVG and script as plain text, never as markup", () => {
    expect(sniffContentType(bytes("<!doctype html><script>alert(1)</script>"))).toBe("text/plain; charset=utf-8")
    expect(sniffContentType(bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBe(
      "text/plain; charset=utf-8",
    )
  })

  it("falls back to octet-stream for binary, empty and invalid UTF-8 data", () => {
    expect(sniffContentType(new Uint8Array())).toBe("application/octet-stream")
    expect(sniffContentType(bytes([0x00, 0x01, 0x02, 0xff]))).toBe("application/octet-stream")
    expect(sniffContentType(bytes([0xc3, 0x28, 0x41]))).toBe("application/octet-stream")
    expect(sniffContentType(bytes("BMW is a car"))).toBe("text/plain; charset=utf-8")
  })
})

describe("Content-Disposition", () => {
  it("keeps names safe in the ASCII fallback and exact in filename*", () => {
    expect(asciiFileName('a"b\\c/d;e.txt')).toBe("a_b_c_d_e.txt")
    expect(asciiFileName("請求書.pdf")).toBe("___.pdf")
    expect(asciiFileName("..hidden")).toBe("_hidden")
    expect(contentDisposition("請求書.pdf")).toBe(
      `attachment; filename="___.pdf"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf`,
    )
    expect(contentDisposition("x\r\nSet-Cookie: a=b")).not.toMatch(/[\r\n]/)
  })

  it('hole 12a: a file "\u202Egnp.exe" downloads as "gnp.exe" (no bidi control), and half a surrogate pair is no 500', () => {
    expect(contentDisposition("\u202egnp.exe")).toBe(`attachment; filename="gnp.exe"; filename*=UTF-8''gnp.exe`)
    expect(contentDisposition("\u2067a\u200fb\u061c.txt")).toBe(
      `attachment; filename="ab.txt"; filename*=UTF-8''ab.txt`,
    )
    expect(contentDisposition(`${"😀".repeat(200)}`)).toMatch(/^attachment; /)
    expect(contentDisposition("a\ud800b.txt")).toContain("filename*=UTF-8''a%EF%BF%BDb.txt")
  })
})
