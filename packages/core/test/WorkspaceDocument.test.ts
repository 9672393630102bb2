import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { decodeWorkspaceDocument } from "../src/domain/index.ts"

const minimal = () => ({
  format: "portal-workspace/v1",
  workspace: { id: "acme", name: "Acme" },
  domains: [{ host: "support.acme.test", language: "en" }],
  agents: [],
  companies: [],
  contacts: [],
  lists: [],
  pipelines: [{ id: "support", label: "Support", stages: [{ id: "new", label: "New", state: "open" }] }],
  inboxes: [],
  forms: [],
  tickets: [],
  threads: [],
  notes: [],
  portal: {
    enabled: false,
    pageTitle: "Acme",
    slug: "tickets",
    access: { method: "membership", registration: "self" },
    ticketScope: "contact",
    ticketFilters: [],
    actions: { allowReplyToClosed: false, allowClose: true },
    defaultInboxId: null,
    statusDisplay: "openClosed",
    supportForm: null,
    navigation: [],
    idleTimeoutMinutes: 60,
  },
})

describe("workspace documents", () => {
  it("decodes a minimal document", async () => {
    const exit = await Effect.runPromiseExit(decodeWorkspaceDocument(minimal()))
    expect(Exit.isSuccess(exit)).toBe(true)
  })
  it("names the JSON path of an unknown field", async () => {
    const doc = minimal() as ReturnType<typeof minimal> & { workspace: Record<string, unknown> }
    doc.workspace.colour = "red"
    const exit = await Effect.runPromiseExit(decodeWorkspaceDocument(doc))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(JSON.stringify(exit)).toContain("workspace.colour: Expected no excess property")
  })
})
