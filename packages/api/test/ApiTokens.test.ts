import { describe, expect, it } from "vitest"
import { bearerToken, parseApiTokens } from "../src/ApiTokens.ts"

describe("PORTAL_API_TOKENS", () => {
  const tokens = parseApiTokens(" acme:acme-token-0123456789abcdefghij , sakura:sakura-token-0123456789abcdefgh")

  it("maps each token to its workspace, and nothing else", () => {
    expect(tokens.size).toBe(2)
    expect(tokens.workspaceOf("acme-token-0123456789abcdefghij")).toBe("acme")
    expect(tokens.workspaceOf("sakura-token-0123456789abcdefgh")).toBe("sakura")
    expect(tokens.workspaceOf("acme-token-0123456789abcdefghiJ")).toBeNull()
    expect(tokens.workspaceOf("")).toBeNull()
  })

  it("refuses malformed entries and short tokens, naming them", () => {
    expect(() => parseApiTokens("acme")).toThrow(/entry 1/)
    expect(() => parseApiTokens("acme:short")).toThrow(/too short/)
    expect(parseApiTokens(undefined).size).toBe(0)
  })

  it("reads Bearer headers only", () => {
    expect(bearerToken("Bearer abc")).toBe("abc")
    expect(bearerToken("bearer abc ")).toBe("abc")
    expect(bearerToken("Basic abc")).toBeNull()
    expect(bearerToken(null)).toBeNull()
  })
})
