import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { replyTextOf } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const quoted = "> Thank you for your patience.\n> We fixed the invoice.\n>\n> Hana"

describe("P-NOT-5 quoted history and signatures are stripped from an email reply", () => {
  it.each([
    ["Gmail en", "Thanks, it works now.\n\nOn Sat, Dec 5, 2026 at 10:00 AM Hana Sato <reply+abc@acme.test> wrote:\n"],
    [
      "Gmail en, attribution wrapped",
      "Thanks, it works now.\n\nOn Sat, Dec 5, 2026 at 10:00 AM Hana Sato <\nreply+abc@acme.test> wrote:\n",
    ],
    ["Apple Mail en", "Thanks, it works now.\n\n> On 5 Dec 2026, at 10:00, Hana Sato <hana@acme.test> wrote:\n>\n"],
    ["Thunderbird", "Thanks, it works now.\n\nOn 12/5/26 10:00, Hana Sato wrote:\n"],
    ["Gmail ja", "Thanks, it works now.\n\n2026年12月5日(土) 10:00 Hana Sato <reply+abc@acme.test>:\n"],
    ["Gmail ja, wrapped", "Thanks, it works now.\n\n2026年12月5日(土) 10:00 Hana Sato <\nreply+abc@acme.test>:\n"],
    ["iOS ja", "Thanks, it works now.\n\n2026/12/05 10:00、Hana Sato <hana@acme.test>のメッセージ:\n"],
    ["Apple Mail ja", "Thanks, it works now.\n\n2026/12/05 10:00、Hana Sato <hana@acme.test>のメール：\n"],
    ["Thunderbird ja", "Thanks, it works now.\n\n2026/12/05 10:00 Hana Sato は書きました:\n"],
    [
      "Outlook",
      "Thanks, it works now.\n\n-----Original Message-----\nFrom: Hana Sato <hana@acme.test>\nSent: Saturday, December 5, 2026 10:00 AM\n",
    ],
    [
      "Outlook ja",
      "Thanks, it works now.\n\n-----元のメッセージ-----\n差出人: Hana Sato <hana@acme.test>\n送信日時: 2026年12月5日 10:00\n",
    ],
    [
      "Outlook web",
      "Thanks, it works now.\n\n________________________________\nFrom: Hana Sato <hana@acme.test>\nSent: Saturday, December 5, 2026 10:00\nTo: ken@globex.test\n",
    ],
    [
      "Outlook header block alone",
      "Thanks, it works now.\n\nFrom: Hana Sato\nTo: Ken Ito\nSent: Saturday\nSubject: Re: invoice\n",
    ],
    ["Outlook ja header block", "Thanks, it works now.\n\n差出人: Hana Sato <hana@acme.test>\n日付: 2026年12月5日\n"],
  ])("P-NOT-5 %s: only the new text remains", (_client, head) => {
    expect(replyTextOf(`${head}${quoted}\n`)).toBe("Thanks, it works now.")
    expect(replyTextOf(`${head}${quoted}`.replace(/\n/g, "\r\n"))).toBe("Thanks, it works now.")
  })

  it("P-NOT-5 a signature after '-- ' and a 'Sent from' line go; the text's own lines stay", () => {
    expect(replyTextOf("Line one\n\nLine two\n-- \nKen Ito\nGlobex\n")).toBe("Line one\n\nLine two")
    expect(replyTextOf("了解しました。\nよろしくお願いします。\n\niPhoneから送信")).toBe(
      "了解しました。\nよろしくお願いします。",
    )
    expect(replyTextOf("Great\n\nSent from my iPhone\n\n> old")).toBe("Great")
    expect(replyTextOf("Best regards,\nKen")).toBe("Best regards,\nKen")
  })

  it("P-NOT-5 inline answers between quotes keep the answers only", () => {
    expect(replyTextOf("> Is the invoice right?\nYes.\n\n> And the address?\nNo, it changed.\n")).toBe(
      "Yes.\n\nNo, it changed.",
    )
  })

  it("P-NOT-5 a text without quotes is kept as written (but trimmed at the end)", () => {
    const text = "On second thought, please cancel.\n\nThe order was placed on 2026/12/01.\nKen  \n\n"
    expect(replyTextOf(text)).toBe("On second thought, please cancel.\n\nThe order was placed on 2026/12/01.\nKen")
  })

  it("P-NOT-5 a mail that is only a quote has no text left", () => {
    expect(replyTextOf(`On Sat, Dec 5, 2026 Hana <h@acme.test> wrote:\n${quoted}`)).toBe("")
    expect(replyTextOf(quoted)).toBe("")
  })

  it("P-NOT-5 property: the result never holds a '>' quote line, never grows and never throws", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("> q", "-- ", "On x wrote:")), {
          maxLength: 20,
        }),
        (lines) => {
          const body = lines.join("\n")
          const out = replyTextOf(body)
          expect(out.length).toBeLessThanOrEqual(body.length)
          expect(out.split("\n").some((l) => /^\s*>/.test(l))).toBe(false)
        },
      ),
      RUNS,
    )
  }, 60_000)
})
