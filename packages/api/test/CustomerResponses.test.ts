/**
 * P-SEC-6 over the real routers on the in-memory adapter: for generated settings and tickets (the
 * acme demo with every stage, pipeline and agent id, and every stage label, renamed to a marker
 * no other value contains; random status display, stages and owners), everything a customer's
 * calls return, serialized as the wire and the pages get it, carries no stage id and no agent id,
 * and no stage label unless the portal shows stages. An agent's preview as a contact is held to
 * the same shapes.
 */
import { readFileSync } from "node:fs"
import { Mailer } from "@portal/core/ports"
import { importWorkspace } from "@portal/core/usecases"
import { layerMemory, layerSystemTest } from "@portal/storage-memory"
import { Effect, Layer, ManagedRuntime } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeApiTokens } from "../src/ApiTokens.ts"
import { createContext } from "../src/CreateContext.ts"
import { defaultApiConfig, type PortalRuntime } from "../src/context.ts"
import { portalRequestOf } from "../src/PortalRequest.ts"
import { signInSession } from "../src/Sessions.ts"

// biome-ignore lint/suspicious/noExplicitAny: the demo document is edited loosely
type Doc = Record<string, any>
const demo: Doc = JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8"))

const stageIdMark = (p: number, s: number) => `stgidx${p}x${s}zz`
const stageLabelMark = (p: number, s: number) => `StageLabelx${p}x${s}ZZ`
const agentIdMark = (a: number) => `agentidx${a}qq`
const pipelineIdMark = (p: number) => `pipeidx${p}ww`
const INTERNAL_IDS = /stgidx\d+x\d+zz|agentidx\d+qq|pipeidx\d+ww/
const STAGE_LABELS = /StageLabelx\d+x\d+ZZ/

interface Variant {
  readonly display: "openClosed" | "stages"
  /** Per ticket: a stage index (modulo its pipeline's stages) and an owner index (modulo agents + 1: none). */
  readonly tickets: ReadonlyArray<readonly [number, number]>
}

/** The demo with every internal id and stage label replaced by a marker. */
const docOf = (variant: Variant): Doc => {
  const doc: Doc = structuredClone(demo)
  const agentIds = new Map<string, string>(doc.agents.map((a: Doc, i: number) => [a.id, agentIdMark(i)]))
  const stageIds = new Map<string, string>()
  const pipelineIds = new Map<string, string>()
  doc.pipelines.forEach((p: Doc, i: number) => {
    pipelineIds.set(p.id, pipelineIdMark(i))
    p.id = pipelineIdMark(i)
    p.label = `Pipeline ${i}`
    p.stages.forEach((s: Doc, j: number) => {
      stageIds.set(`${i}:${s.id}`, stageIdMark(i, j))
      s.id = stageIdMark(i, j)
      s.label = stageLabelMark(i, j)
    })
  })
  for (const a of doc.agents) a.id = agentIds.get(a.id)
  doc.tickets.forEach((t: Doc, i: number) => {
    const pipelineIndex = doc.pipelines.findIndex((p: Doc) => p.id === pipelineIds.get(t.pipelineId))
    const pipeline = doc.pipelines[pipelineIndex]
    const [stage, owner] = variant.tickets[i % variant.tickets.length] ?? [0, 0]
    t.pipelineId = pipeline.id
    t.stageId = pipeline.stages[stage % pipeline.stages.length].id
    const ownerIndex = owner % (doc.agents.length + 1)
    if (ownerIndex === doc.agents.length) delete t.ownerId
    else t.ownerId = doc.agents[ownerIndex].id
  })
  for (const th of doc.threads)
    for (const m of th.messages) if (m.author.type === "agent") m.author.id = agentIds.get(m.author.id)
  for (const n of doc.notes ?? []) n.authorId = agentIds.get(n.authorId) ?? n.authorId
  const portal = doc.portal
  portal.statusDisplay = variant.display
  portal.ticketFilters = portal.ticketFilters.map((f: Doc) =>
    f.property === "pipelineId" ? { ...f, values: f.values.map((v: string) => pipelineIds.get(v) ?? v) } : f,
  )
  portal.actions.closedStageByPipeline = Object.fromEntries(
    Object.entries(portal.actions.closedStageByPipeline ?? {}).map(([p, s]) => {
      const index = doc.pipelines.findIndex((x: Doc) => x.id === pipelineIds.get(p))
      return [pipelineIds.get(p), stageIds.get(`${index}:${s}`)]
    }),
  )
  return doc
}

/** A call's result, or what its error shows: code, message and public data. */
const settled = (call: Promise<unknown>): Promise<unknown> =>
  call.catch((e: { code?: unknown; message?: unknown; publicData?: unknown }) => ({
    code: e.code,
    message: e.message,
    data: e.publicData,
  }))

/** Everything the contacts of the demo get back from the customer procedures, and an agent's preview of them. */
const customerResponses = async (doc: Doc): Promise<ReadonlyArray<unknown>> => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      layerMemory,
      layerSystemTest({ now: "2026-10-05T00:00:00.000Z" as never }),
      Layer.succeed(Mailer, { send: () => Effect.void }),
    ),
  ) as unknown as PortalRuntime
  try {
    await runtime.runPromise(importWorkspace(doc) as never)
    const callerAs = async (subject: { type: "contact" | "agent"; id: string }) => {
      const { token } = await runtime.runPromise(signInSession("acme" as never, subject, 24, null))
      const context = await createContext(
        { runtime, config: defaultApiConfig, apiTokens: makeApiTokens([]) },
        {
          host: "localhost",
          sessionToken: token,
          ip: "127.0.0.1",
          origin: "http://localhost",
          authorization: null,
          cookies: { setSession: () => undefined, clearSession: () => undefined },
        },
      )
      return portalRequestOf(context).caller
    }
    const out: unknown[] = []
    for (const contact of doc.contacts.filter((c: Doc) => c.password !== undefined)) {
      const caller = await callerAs({ type: "contact", id: contact.id })
      out.push(await caller.portal.info(), await caller.auth.me(), await caller.form.get())
      for (const view of ["all", "organization", "mine"] as const) {
        const list = await caller.tickets.list({ view })
        out.push(list)
        for (const item of list.items) {
          const detail = await caller.tickets.get({ ticketId: item.id })
          out.push(detail)
          // Refusals too: what the error carries (message and public data) reaches the customer.
          out.push(
            await settled(caller.tickets.reply({ ticketId: item.id, text: "Thanks", idempotencyKey: `r-${item.id}` })),
            await settled(caller.tickets.close({ ticketId: item.id })),
          )
        }
      }
    }
    // An agent previewing as a contact gets the customer's shapes.
    const agent = await callerAs({ type: "agent", id: doc.agents[0].id })
    const previewed = await agent.tickets.list({ asContactId: doc.contacts[0].id })
    out.push(previewed, await agent.tickets.list())
    for (const item of previewed.items)
      out.push(await agent.tickets.get({ ticketId: item.id, asContactId: doc.contacts[0].id }))
    return out
  } finally {
    await runtime.dispose()
  }
}

const variant: fc.Arbitrary<Variant> = fc.record({
  display: fc.constantFrom("openClosed" as const, "stages" as const),
  tickets: fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { minLength: 1, maxLength: 12 }),
})

describe("P-SEC-6: a customer's responses carry only what the portal shows them", () => {
  it("P-SEC-6: no stage id or agent id in any customer response; no stage label under Open/Closed", async () => {
    await fc.assert(
      fc.asyncProperty(variant, async (v) => {
        const responses = await customerResponses(docOf(v))
        const json = JSON.stringify(responses)
        // The generated data did reach the customer (the check is not vacuous).
        expect(json).toContain('"items":[{')
        expect(json).not.toMatch(INTERNAL_IDS)
        if (v.display === "openClosed") expect(json).not.toMatch(STAGE_LABELS)
        else expect(json).toMatch(STAGE_LABELS)
      }),
      { numRuns: 30 },
    )
  }, 120_000)
})
