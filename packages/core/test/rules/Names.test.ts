import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { PersonRef } from "../../src/domain/index.ts"
import { authorNames, contactRef, namedContact, personName, withoutBidiControls } from "../../src/rules/index.ts"
import { RUNS } from "../support/Arbitraries.ts"

const ref = (edit: Partial<PersonRef> = {}): PersonRef => ({ id: "p1", name: "Ken Ito", ...edit })

describe("personName: names in the portal's language", () => {
  it("ja puts the family name first, en the given name", () => {
    const ken = ref({ firstName: "Ken", lastName: "Ito" })
    expect(personName(ken, "ja")).toBe("Ito Ken")
    expect(personName(ken, "en")).toBe("Ken Ito")
    const ito = ref({ name: "健 伊藤", firstName: "健", lastName: "伊藤" })
    expect(personName(ito, "ja")).toBe("伊藤 健")
    expect(personName(ito, "en")).toBe("健 伊藤")
  })
  it("one part alone is the name; none falls back to `name` (an agent, or a contact known by email)", () => {
    expect(personName(ref({ name: "Ito", lastName: "Ito" }), "ja")).toBe("Ito")
    expect(personName(ref({ name: "Ken", firstName: "Ken" }), "ja")).toBe("Ken")
    expect(personName(ref({ name: "Hana Sato" }), "ja")).toBe("Hana Sato")
    expect(personName(ref({ name: "yuki@globex.test", firstName: " ", lastName: "" }), "en")).toBe("yuki@globex.test")
  })
  it("contactRef keeps the trimmed parts it has; name is contactDisplayName", () => {
    expect(contactRef({ id: "p1" as never, email: "k@g.test", firstName: "Ken", lastName: "Ito" })).toEqual({
      id: "p1",
      name: "Ken Ito",
      firstName: "Ken",
      lastName: "Ito",
    })
    expect(contactRef({ id: "p2" as never, email: "y@g.test", firstName: "  " })).toEqual({
      id: "p2",
      name: "y@g.test",
    })
    expect(contactRef(namedContact("p3", "o@x.test", null, " Ola "))).toEqual({
      id: "p3",
      name: "Ola",
      lastName: "Ola",
    })
  })
  it("authorNames gives VisibleMessage's name fields; a missing author has an empty name", () => {
    expect(authorNames(ref({ firstName: "Ken", lastName: "Ito" }))).toEqual({
      authorName: "Ken Ito",
      authorFirstName: "Ken",
      authorLastName: "Ito",
    })
    expect(authorNames(ref({ name: "Hana Sato" }))).toEqual({ authorName: "Hana Sato" })
    expect(authorNames(null)).toEqual({ authorName: "" })
  })
  it("property: en order of a contactRef's parts is its display name", () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }), (f, l) => {
        const contact = namedContact("p", "e@x.test", f, l)
        const r = contactRef(contact)
        expect(personName(r, "en").replace(/\s+/g, " ")).toBe(r.name.replace(/\s+/g, " "))
      }),
      RUNS,
    )
  })
})

describe("withoutBidiControls: names shown to people (hole 12a)", () => {
  const BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
  const isBidi = (c: string) => BIDI.includes(c)
  const text = fc.array(fc.oneof(fc.constantFrom(...BIDI), fc.string({ unit: "grapheme", maxLength: 3 })), {
    maxLength: 10,
  })
  it("hole 12a: no output carries a bidi control, and every other character stays, in order", () => {
    fc.assert(
      fc.property(text, (parts) => {
        const input = parts.join("")
        const out = withoutBidiControls(input)
        expect([...out].some(isBidi)).toBe(false)
        expect(out).toBe([...input].filter((c) => !isBidi(c)).join(""))
      }),
      RUNS,
    )
  })
  it('hole 12a: a file "\\u202Egnp.exe" is shown as what it is', () => {
    expect(withoutBidiControls("\u202egnp.exe")).toBe("gnp.exe")
    expect(withoutBidiControls("伊藤 健")).toBe("伊藤 健")
  })
})
