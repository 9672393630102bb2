import { describe, expect, it } from "vitest"
import { decodeEncodedWords, decodeQuotedPrintable, parseMessage } from "../src/testing.ts"

describe("the test MIME reader", () => {
  it("decodes RFC 2047 encoded-words (B and Q), joining adjacent words", () => {
    expect(decodeEncodedWords("=?UTF-8?B?5pel5pys6Kqe?=")).toBe("日本語")
    expect(decodeEncodedWords("=?utf-8?B?44K144Od44O844OI?= =?utf-8?B?44G444Gu44GU5oub5b6F?=")).toBe(
      "サポートへのご招待",
    )
    expect(decodeEncodedWords("=?ISO-8859-1?Q?Caf=E9_au_lait?= and more")).toBe("Café au lait and more")
    expect(decodeEncodedWords("plain subject")).toBe("plain subject")
  })

  it("decodes quoted-printable with soft line breaks and multi-byte sequences", () => {
    const bytes = decodeQuotedPrintable("=E3=83=81=E3=82=B1=\r\n=E3=83=83=E3=83=88 a=3Db")
    expect(new TextDecoder().decode(bytes)).toBe("チケット a=b")
  })

  it("reads the text and html parts of a multipart/alternative message", () => {
    const raw = [
      "To: ken@globex.test",
      "Subject: =?UTF-8?B?5pel5pys6Kqe?=",
      "  =?UTF-8?Q?_=E3=83=86=E3=82=B9=E3=83=88?=",
      'Content-Type: multipart/alternative; boundary="--b1"',
      "",
      "----b1",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from("こんにちは\nhttps://x.test/a?b=1").toString("base64"),
      "----b1",
      "Content-Type: text/html; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      '<a href=3D"https://x.test/a?b=3D1">=E3=81=93</a>',
      "----b1--",
      "",
    ].join("\r\n")
    const m = parseMessage(raw)
    expect(m.subject).toBe("日本語 テスト")
    expect(m.headers.to).toBe("ken@globex.test")
    expect(m.text).toBe("こんにちは\nhttps://x.test/a?b=1")
    expect(m.html).toBe('<a href="https://x.test/a?b=1">こ</a>')
  })
})
