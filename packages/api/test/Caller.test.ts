/**
 * The in-process glue the SvelteKit pages use: `createContext` + `portalRequestOf` give a caller
 * with the request's host and session; no token or secret setting leaks into PortalRequest; the
 * formatter sends no stack, and refusals carry their code over the wire. Runs on the in-memory
 * adapter, through tRPC's fetch handler (no HTTP server).
 */
import { readFileSync } from "node:fs"
import { type Mail, Mailer } from "@portal/core/ports"
import { importWorkspace, layerMailQueueInline } from "@portal/core/usecases"
import { layerMemory, layerSystemTest } from "@portal/storage-memory"
import { fetchRequestHandler } from "@trpc/server/adapters/fetch"
import { Effect, Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeApiTokens } from "../src/ApiTokens.ts"
import { createContext } from "../src/CreateContext.ts"
import { defaultApiConfig, type PortalContext, type PortalRuntime } from "../src/context.ts"
import { portalRequestOf } from "../src/PortalRequest.ts"
import { appRouter } from "../src/routers/AppRouter.ts"

/** Every mail the runtime sent (sent inline: readable right after the call). */
const sent: Array<Mail> = []
const doc = JSON.parse(readFileSync(new URL("../../../demo/acme.en.json", import.meta.url), "utf8"))
const runtime = ManagedRuntime.make(
  Layer.mergeAll(
    layerMemory,
    layerSystemTest({ now: new Date().toISOString() as never }),
    Layer.provideMerge(
      layerMailQueueInline,
      Layer.succeed(Mailer, { send: (mail) => Effect.sync(() => void sent.push(mail)) }),
    ),
  ),
) as unknown as PortalRuntime

beforeAll(async () => {
  await runtime.runPromise(importWorkspace(doc) as never)
})
afterAll(() => runtime.dispose())

const cookies: Array<string> = []
const contextFor = (host: string, sessionToken: string | null = null): Promise<PortalContext> =>
  createContext(
    { runtime, config: defaultApiConfig, apiTokens: makeApiTokens([]) },
    {
      host,
      sessionToken,
      ip: "127.0.0.1",
      origin: `http://${host}`,
      authorization: null,
      cookies: { setSession: (token) => void cookies.push(token), clearSession: () => void cookies.push("") },
    },
  )

describe("PortalRequest", () => {
  it("resolves the host and exposes no token or secret", async () => {
    const request = portalRequestOf(await contextFor("LOCALHOST:5173"))
    expect(request.portal).toEqual({
      workspaceId: "acme",
      host: "localhost",
      language: "en",
      enabled: true,
      slug: "tickets",
    })
    expect(request.session).toBeNull()
    expect((await request.caller.portal.info()).pageTitle).toBe("Acme Support")
  })

  it("an unknown host has no portal, and its calls fail with NOT_FOUND", async () => {
    const request = portalRequestOf(await contextFor("nowhere.test"))
    expect(request.portal).toBeNull()
    await expect(request.caller.portal.info()).rejects.toMatchObject({ code: "NOT_FOUND" })
  })

  it("a sign-in through the caller hands the cookie to the host; the next request sees the session", async () => {
    const caller = portalRequestOf(await contextFor("localhost")).caller
    await caller.auth.signIn({ email: "ken@globex.test", password: "customer-demo-2026" })
    const token = cookies.at(-1) as string
    expect(token.length).toBeGreaterThan(20)
    const next = portalRequestOf(await contextFor("localhost", token))
    expect(next.session?.subject).toEqual({ type: "contact", id: "p1" })
    expect(JSON.stringify(next.session)).not.toContain(token)
    expect((await next.caller.tickets.list()).items.length).toBeGreaterThan(0)
  })
})

describe("auth.register (P-AUTH-3) never tells whether an email has an account", () => {
  it("answers a new email and one with a login alike, starts no session, and changes no account until the link is used", async () => {
    const registration = (email: string) => ({
      email,
      password: "a-long-password-1",
      firstName: "Eve",
      lastName: "Tester",
      consent: true,
    })
    const cookiesBefore = cookies.length
    const fresh = await portalRequestOf(await contextFor("localhost")).caller.auth.register(
      registration("eve@new.test"),
    )
    const known = await portalRequestOf(await contextFor("localhost")).caller.auth.register(
      registration("KEN@globex.test"),
    )
    expect(known).toEqual(fresh)
    expect(fresh).toEqual({ ok: true, signedIn: false })
    expect(cookies.length).toBe(cookiesBefore)
    // Ken's password is unchanged; the new customer signs in with theirs.
    const caller = portalRequestOf(await contextFor("localhost")).caller
    await caller.auth.signIn({ email: "ken@globex.test", password: "customer-demo-2026" })
    await expect(caller.auth.signIn({ email: "ken@globex.test", password: "a-long-password-1" })).rejects.toMatchObject(
      {
        code: "UNAUTHORIZED",
      },
    )
    // P-AUTH-3: no login until the emailed link is used; then it signs the new customer in.
    await expect(caller.auth.signIn({ email: "eve@new.test", password: "a-long-password-1" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    })
    const link = /https?:\/\/\S+\/account\/verify\?token=\S+/.exec(
      sent.find((m) => m.to === "eve@new.test")?.text ?? "",
    )
    const token = new URL(link?.[0] ?? "http://x/").searchParams.get("token") ?? ""
    const before = cookies.length
    expect(
      await portalRequestOf(await contextFor("localhost")).caller.auth.completeRegistration({ token }),
    ).toMatchObject({
      signedIn: true,
    })
    expect(cookies.length).toBe(before + 1)
    await caller.auth.signIn({ email: "eve@new.test", password: "a-long-password-1" })
  })
})

describe("the HTTP error shape", () => {
  it("sends the mapped message and data, never a stack", async () => {
    const response = await fetchRequestHandler({
      endpoint: "/trpc",
      req: new Request("http://localhost/trpc/tickets.get?input=%7B%22ticketId%22%3A%22t1%22%7D"),
      router: appRouter,
      createContext: () => contextFor("localhost"),
    })
    expect(response.status).toBe(401)
    const body = (await response.json()) as { error: { message: string } }
    expect(body.error.message).toBe("Sign in to continue")
    expect(JSON.stringify(body)).not.toContain("stack")
    const invalid = await fetchRequestHandler({
      endpoint: "/trpc",
      req: new Request("http://localhost/trpc/auth.signIn", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: 1 }),
      }),
      router: appRouter,
      createContext: () => contextFor("localhost"),
    })
    expect(invalid.status).toBe(400)
    const issues = ((await invalid.json()) as { error: { data: { issues: Array<{ path: string }> } } }).error.data
      .issues
    expect(issues.map((i: { path: string }) => i.path).sort()).toEqual(["email", "password"])
  })
})

/** A tRPC call through the fetch handler, as a browser sends it; the JSON answer and its status. */
const overTheWire = async (path: string, body: unknown, host = "localhost", session: string | null = null) => {
  const response = await fetchRequestHandler({
    endpoint: "/trpc",
    req: new Request(`http://${host}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    router: appRouter,
    createContext: () => contextFor(host, session),
  })
  const json = (await response.json()) as {
    error?: { message: string; data: { code: string; refusalCode?: string; action?: string; reason?: string } }
  }
  return { status: response.status, error: json.error }
}

describe("refusals say why with a stable code (P-ACT-2, P-ACT-3, P-AUTH-2)", () => {
  let session = ""
  beforeAll(async () => {
    await portalRequestOf(await contextFor("localhost")).caller.auth.signIn({
      email: "ken@globex.test",
      password: "customer-demo-2026",
    })
    session = cookies.at(-1) as string
  })

  it("P-ACT-2 a reply on a closed ticket: 412 with refusalCode closed_ticket_reply_disabled", async () => {
    const { status, error } = await overTheWire(
      "tickets.reply",
      { ticketId: "t10", text: "Let me in", idempotencyKey: "wire-1" },
      "localhost",
      session,
    )
    expect(status).toBe(412)
    expect(error?.data).toMatchObject({
      code: "PRECONDITION_FAILED",
      action: "reply",
      refusalCode: "closed_ticket_reply_disabled",
    })
    expect(error?.message).toMatch(/closed/)
  })

  it("P-ACT-3 closing a ticket that is already closed: refusalCode already_closed", async () => {
    const { status, error } = await overTheWire("tickets.close", { ticketId: "t10" }, "localhost", session)
    expect(status).toBe(412)
    expect(error?.data).toMatchObject({ code: "PRECONDITION_FAILED", action: "close", refusalCode: "already_closed" })
  })

  it("P-AUTH-2 P-AUTH-3 an invitation link on a self-registration portal: 403 with refusalCode invitation_not_offered", async () => {
    const { status, error } = await overTheWire("auth.acceptInvitation", {
      token: "x".repeat(43),
      password: "a-long-password-1",
    })
    expect(status).toBe(403)
    // `reason` keeps its older token; `code` stays tRPC's own.
    expect(error?.data).toMatchObject({
      code: "FORBIDDEN",
      refusalCode: "invitation_not_offered",
      reason: "methodNotOffered",
    })
  })
})
