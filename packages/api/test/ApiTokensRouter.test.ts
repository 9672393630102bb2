/**
 * Integration API tokens created by admins (`admin.apiTokens.*`, P-SET-1) over the real router,
 * with the demo workspaces acme (host localhost) and sakura (host 127.0.0.1) on the in-memory
 * adapter. The integration calls go through tRPC's fetch handler, as HTTP requests with an
 * Authorization header: a created token works at once, a revoked one gets 401, a token of one
 * workspace never acts on another, the listing never carries a token or its hash, and only
 * agents with `portal.settings` reach the procedures. `PORTAL_API_TOKENS` tokens keep working.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import type { WorkspaceId } from "@portal/core/domain"
import { ContactStore, Mailer } from "@portal/core/ports"
import { importWorkspace, layerMailQueueInline } from "@portal/core/usecases"
import { layerMemory, layerSystemTest } from "@portal/storage-memory"
import { fetchRequestHandler } from "@trpc/server/adapters/fetch"
import { Effect, Layer, ManagedRuntime, Option } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeApiTokens } from "../src/ApiTokens.ts"
import { createContext } from "../src/CreateContext.ts"
import { defaultApiConfig, type PortalContext, type PortalRuntime } from "../src/context.ts"
import { portalRequestOf } from "../src/PortalRequest.ts"
import { appRouter } from "../src/routers/AppRouter.ts"

const demo = (file: string) => JSON.parse(readFileSync(new URL(`../../../demo/${file}`, import.meta.url), "utf8"))
const runtime = ManagedRuntime.make(
  Layer.mergeAll(
    layerMemory,
    layerSystemTest({ now: "2026-10-05T12:00:00.000Z" as never }),
    Layer.provideMerge(layerMailQueueInline, Layer.succeed(Mailer, { send: () => Effect.void })),
  ),
) as unknown as PortalRuntime

const ENV_TOKEN = "env-acme-token-0123456789abcdefghij"
const apiTokens = makeApiTokens([{ workspaceId: "acme", token: ENV_TOKEN }])
const ACME = "localhost"
const SAKURA = "127.0.0.1"

beforeAll(async () => {
  await runtime.runPromise(importWorkspace(demo("acme.en.json")) as never)
  await runtime.runPromise(importWorkspace(demo("sakura.ja.json")) as never)
})
afterAll(() => runtime.dispose())

let lastCookie = ""
const contextFor = (host: string, sessionToken: string | null = null, authorization: string | null = null) =>
  createContext(
    { runtime, config: defaultApiConfig, apiTokens },
    {
      host,
      sessionToken,
      ip: "127.0.0.1",
      origin: `http://${host}`,
      authorization,
      cookies: {
        setSession: (token) => {
          lastCookie = token
        },
        clearSession: () => {},
      },
    },
  )

/** A caller signed in as an agent of the host's workspace. */
const agentCaller = async (host: string, email: string, password: string) => {
  await portalRequestOf(await contextFor(host)).caller.auth.agentSignIn({ email, password })
  const session = lastCookie
  return async () => portalRequestOf(await contextFor(host, session)).caller
}

const admin = {
  acme: () => agentCaller(ACME, "hana@acme.test", "admin-demo-2026"),
  sakura: () => agentCaller(SAKURA, "hana@sakura.test", "admin-demo-2026"),
}

/** An integration call over HTTP (tRPC's fetch handler) on `host` with a Bearer token. */
const integration = async (host: string, token: string, path: string, body?: unknown) => {
  const response = await fetchRequestHandler({
    endpoint: "/trpc",
    req: new Request(
      `http://${host}/trpc/integration.${path}`,
      body === undefined
        ? { headers: { authorization: `Bearer ${token}` } }
        : {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify(body),
          },
    ),
    router: appRouter,
    createContext: ({ req }): Promise<PortalContext> =>
      contextFor(new URL(req.url).host, null, req.headers.get("authorization")),
  })
  return { status: response.status, body: (await response.json()) as { result?: { data: unknown }; error?: unknown } }
}

const contactIn = (workspaceId: string, email: string): Promise<Option.Option<unknown>> =>
  runtime.runPromise(ContactStore.use((s) => s.findByEmail(workspaceId as WorkspaceId, email)) as never)

describe("admin.apiTokens and the integration router", () => {
  it("a token an admin creates works at once on an integration procedure; its use is recorded", async () => {
    const caller = await (await admin.acme())()
    const { token, apiToken } = await caller.admin.apiTokens.create({ name: "  CRM sync " })
    expect(token).toMatch(/^ptk_[A-Za-z0-9_-]{43}$/)
    expect(apiToken).toMatchObject({ name: "CRM sync", createdBy: "u1", createdByName: "Hana Sato", lastUsedAt: null })
    const events = await integration(ACME, token, "events")
    expect(events.status).toBe(200)
    expect(events.body.result?.data).toMatchObject({ events: expect.any(Array) })
    const listed = await caller.admin.apiTokens.list()
    expect(listed.find((t) => t.id === apiToken.id)?.lastUsedAt).toBe("2026-10-05T12:00:00.000Z")
    // The environment's token works as before, and a wrong one does not.
    expect((await integration(ACME, ENV_TOKEN, "events")).status).toBe(200)
    // The same token with its last character changed (never to itself).
    const wrong = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`
    expect((await integration(ACME, wrong, "events")).status).toBe(401)
  })

  it("a revoked token gets 401 at once, and is listed as revoked", async () => {
    const caller = await (await admin.acme())()
    const { token, apiToken } = await caller.admin.apiTokens.create({ name: "Old ERP" })
    expect((await integration(ACME, token, "events")).status).toBe(200)
    const revoked = await caller.admin.apiTokens.revoke({ id: apiToken.id })
    expect(revoked.revokedAt).toBe("2026-10-05T12:00:00.000Z")
    const refused = await integration(ACME, token, "events")
    expect(refused.status).toBe(401)
    expect(refused.body.error).toMatchObject({ data: { code: "UNAUTHORIZED", reason: "apiToken" } })
    expect((await caller.admin.apiTokens.list()).find((t) => t.id === apiToken.id)?.revokedAt).toBe(
      "2026-10-05T12:00:00.000Z",
    )
    expect((await integration(ACME, ENV_TOKEN, "events")).status).toBe(200)
  })

  it("a token of workspace A never acts on workspace B", async () => {
    const acme = await (await admin.acme())()
    const sakura = await (await admin.sakura())()
    const { token, apiToken } = await acme.admin.apiTokens.create({ name: "Acme CRM" })
    // Through B's host: refused, nothing written in B.
    const contact = { id: "p-token-test", email: "token-test@example.test", firstName: "Token" }
    const viaB = await integration(SAKURA, token, "contacts.upsert", contact)
    expect(viaB.status).toBe(401)
    // A refused call is no use of the token.
    expect((await acme.admin.apiTokens.list()).find((t) => t.id === apiToken.id)?.lastUsedAt).toBeNull()
    expect(await contactIn("sakura", contact.email)).toEqual(Option.none())
    expect(await contactIn("acme", contact.email)).toEqual(Option.none())
    // Through a host no workspace has: the token's own workspace only.
    const viaOther = await integration("integrations.example.test", token, "contacts.upsert", contact)
    expect(viaOther.status).toBe(200)
    expect(Option.isSome(await contactIn("acme", contact.email))).toBe(true)
    expect(await contactIn("sakura", contact.email)).toEqual(Option.none())
    // B's admin neither sees nor revokes A's token; A's admin cannot revoke B's.
    expect((await sakura.admin.apiTokens.list()).some((t) => t.id === apiToken.id)).toBe(false)
    await expect(sakura.admin.apiTokens.revoke({ id: apiToken.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      publicData: { issues: [{ path: "id", code: "unknown_api_token" }] },
    })
    expect((await integration(ACME, token, "events")).status).toBe(200)
    const theirs = await sakura.admin.apiTokens.create({ name: "さくら連携" })
    await expect(acme.admin.apiTokens.revoke({ id: theirs.apiToken.id })).rejects.toMatchObject({ code: "BAD_REQUEST" })
    expect((await integration(SAKURA, theirs.token, "events")).status).toBe(200)
    expect((await integration(ACME, theirs.token, "events")).status).toBe(401)
  })

  it("the listing never carries a token or its hash", async () => {
    const caller = await (await admin.acme())()
    const { token } = await caller.admin.apiTokens.create({ name: "Secret keeper" })
    const listed = await caller.admin.apiTokens.list()
    const text = JSON.stringify(listed)
    expect(text).not.toContain(token)
    expect(text).not.toContain(token.slice(4))
    expect(text).not.toContain(createHash("sha256").update(token).digest("hex"))
    expect(text).not.toContain(createHash("sha256").update(token).digest("base64"))
    for (const item of listed)
      expect(Object.keys(item).sort()).toEqual([
        "createdAt",
        "createdBy",
        "createdByName",
        "id",
        "lastUsedAt",
        "name",
        "revokedAt",
      ])
  })

  it("P-SET-1 refuses a customer session, an agent without portal.settings, and nobody", async () => {
    const acme = await (await admin.acme())()
    const before = (await acme.admin.apiTokens.list()).length
    const contact = portalRequestOf(await contextFor(ACME)).caller
    await contact.auth.signIn({ email: "ken@globex.test", password: "customer-demo-2026" })
    const customer = portalRequestOf(await contextFor(ACME, lastCookie)).caller
    const agent = await (await agentCaller(ACME, "taro@acme.test", "agent-demo-2026"))()
    const nobody = portalRequestOf(await contextFor(ACME)).caller
    for (const [caller, code] of [
      [customer, "FORBIDDEN"],
      [agent, "FORBIDDEN"],
      [nobody, "UNAUTHORIZED"],
    ] as const) {
      await expect(caller.admin.apiTokens.list()).rejects.toMatchObject({ code })
      await expect(caller.admin.apiTokens.create({ name: "Sneaky" })).rejects.toMatchObject({ code })
      await expect(caller.admin.apiTokens.revoke({ id: "tok-1" })).rejects.toMatchObject({ code })
    }
    expect((await acme.admin.apiTokens.list()).length).toBe(before)
  })

  it("a bad name is BAD_REQUEST with core's coded issues, and creates nothing", async () => {
    const caller = await (await admin.acme())()
    const before = (await caller.admin.apiTokens.list()).length
    await expect(caller.admin.apiTokens.create({ name: "   " })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      publicData: { issues: [{ path: "name", code: "required" }] },
    })
    await expect(caller.admin.apiTokens.create({ name: "x".repeat(81) })).rejects.toMatchObject({
      publicData: { issues: [{ path: "name", code: "too_long", params: { max: 80 } }] },
    })
    expect((await caller.admin.apiTokens.list()).length).toBe(before)
  })
})
