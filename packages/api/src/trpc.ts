/**
 * tRPC's one instance and the procedure bases every router builds on:
 * - `publicProcedure`: anyone; `portalProcedure`: the host resolved to a workspace (P-DOM-1);
 * - `customerProcedure`: a contact's session on an enabled portal;
 * - `viewerProcedure`: a contact, or an agent of the workspace previewing (P-AUTH-7, read-only);
 * - `agentProcedure` / `adminProcedure`: an agent session; admin also needs `portal.settings` (P-SET-1);
 * - `integrationProcedure`: a Bearer API token of the host's workspace (an admin's, or PORTAL_API_TOKENS).
 * The error formatter sends only what ErrorMapper put in `publicData`: never a stack or a cause.
 * An input that fails its schema gets issues like core's: its path, a code (`invalid_slug`,
 * `invalid_color`, `invalid_time` for core's own checks, else `invalid_input`) and the message.
 */
import { type IntegrationCaller, schemaIssue } from "@portal/core/domain"
import { initTRPC, type TRPCError } from "@trpc/server"
import { integrationCallerOf } from "./ApiTokens.ts"
import type { PortalContext, ResolvedPortal, Subject } from "./context.ts"
import { type ErrorData, INTERNAL_MESSAGE, NOT_FOUND_MESSAGE, PortalApiError } from "./ErrorMapper.ts"

interface SchemaIssueLike {
  readonly message: string
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined
}

const issuePath = (path: SchemaIssueLike["path"]): string =>
  (path ?? []).map((p) => String(typeof p === "object" && p !== null ? p.key : p)).join(".")

/** Public data of an error: ErrorMapper's, or the issues of an input that failed its schema. */
const publicDataOf = (cause: unknown, error: unknown): ErrorData => {
  if (error instanceof PortalApiError) return error.publicData
  if (typeof cause === "object" && cause !== null && Array.isArray((cause as { issues?: unknown }).issues)) {
    const issues = (cause as { issues: ReadonlyArray<SchemaIssueLike> }).issues
    return { issues: issues.map((i) => schemaIssue(issuePath(i.path), i.message)) }
  }
  return {}
}

/**
 * What a client may see of an error: its public message and data (ErrorMapper's, or the issues
 * of an input that failed its schema). tRPC's error shape and the JSON routes' problem details
 * (JsonApi.ts) are both made from it.
 */
export const publicErrorOf = (error: TRPCError): { readonly message: string; readonly data: ErrorData } => {
  const data = publicDataOf(error.cause, error)
  const message =
    error.code === "INTERNAL_SERVER_ERROR"
      ? INTERNAL_MESSAGE
      : error.code === "BAD_REQUEST" && data.issues
        ? "The input is not valid"
        : error.message
  return { message, data }
}

const t = initTRPC.context<PortalContext>().create({
  isDev: false,
  errorFormatter: ({ shape, error }) => {
    const { message, data } = publicErrorOf(error)
    return {
      message: error.code === "INTERNAL_SERVER_ERROR" || data.issues ? message : shape.message,
      code: shape.code,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, ...data },
    }
  },
})

export const router = t.router
export const middleware = t.middleware
export const createCallerFactory = t.createCallerFactory
export const publicProcedure = t.procedure

const notFound = () => new PortalApiError("NOT_FOUND", NOT_FOUND_MESSAGE)
export const UNAUTHORIZED_MESSAGE = "Sign in to continue"

/** The host's portal, or the same 404 as an unknown host. */
const portalOf = (ctx: PortalContext): ResolvedPortal => {
  if (ctx.portal === null) throw notFound()
  return ctx.portal
}

/*
 * Each procedure base below is ONE middleware that checks everything it stands for and narrows
 * the context once: tRPC copies the request's options and merges the context at every middleware
 * (Babel's object-spread helper, property by property), so a base built on another (`portal` →
 * `customer`) paid that twice per call (docs/http-bench.md "Sixth session").
 */

/** The host resolved to a workspace's portal; otherwise the same 404 as an unknown host. */
export const portalProcedure = t.procedure.use(({ ctx, next }) => next({ ctx: { portal: portalOf(ctx) } }))

const agentOf = (subject: Subject | undefined) => (subject?.type === "agent" ? subject : null)

/** A disabled portal answers "not available" to everyone but the workspace's agents (P-AUTH-7). */
export const assertAvailable = (ctx: Pick<PortalContext, "session">, portal: ResolvedPortal) => {
  if (!portal.settings.enabled && agentOf(ctx.session?.subject) === null)
    throw new PortalApiError("NOT_FOUND", "This portal is not available", { reason: "portalDisabled" })
}

const unauthorized = (ctx: PortalContext) =>
  new PortalApiError(
    "UNAUTHORIZED",
    UNAUTHORIZED_MESSAGE,
    ctx.sessionEnded ? { reason: `session-${ctx.sessionEnded}` } : {},
  )

/** A signed-in contact of this workspace on an enabled portal. */
export const customerProcedure = t.procedure.use(({ ctx, next }) => {
  const portal = portalOf(ctx)
  assertAvailable(ctx, portal)
  const subject = ctx.session?.subject
  if (subject?.type !== "contact") {
    if (subject?.type === "agent")
      throw new PortalApiError("FORBIDDEN", "Agents preview the portal read-only", { reason: "agentPreview" })
    throw unauthorized(ctx)
  }
  return next({ ctx: { portal, contact: subject } })
})

/** A contact, or an agent of the workspace previewing the portal read-only (P-AUTH-7). */
export const viewerProcedure = t.procedure.use(({ ctx, next }) => {
  const portal = portalOf(ctx)
  assertAvailable(ctx, portal)
  const subject = ctx.session?.subject
  if (subject === undefined) throw unauthorized(ctx)
  return next({ ctx: { portal, viewer: subject } })
})

/** The request's agent on this portal, or FORBIDDEN / UNAUTHORIZED. */
const agentOrRefuse = (ctx: PortalContext) => {
  const agent = agentOf(ctx.session?.subject)
  if (agent === null) {
    if (ctx.session !== null) throw new PortalApiError("FORBIDDEN", "Forbidden", { reason: "agentsOnly" })
    throw unauthorized(ctx)
  }
  return agent
}

/** A signed-in agent of this workspace (works on a disabled portal: that is how admins set it up). */
export const agentProcedure = t.procedure.use(({ ctx, next }) => {
  const portal = portalOf(ctx)
  return next({ ctx: { portal, agent: agentOrRefuse(ctx) } })
})

/** P-SET-1: an agent with the `portal.settings` permission; others get a clear "forbidden". */
export const adminProcedure = t.procedure.use(({ ctx, next }) => {
  const portal = portalOf(ctx)
  const agent = agentOrRefuse(ctx)
  if (!agent.permissions.includes("portal.settings"))
    throw new PortalApiError("FORBIDDEN", "Changing the portal requires the portal.settings permission", {
      reason: "missingPermission:portal.settings",
    })
  return next({ ctx: { portal, agent } })
})

/**
 * A valid Bearer API token. The token names the workspace, so integrations may call through any
 * host of the server; a host that resolves to another workspace is refused (no cross-tenant use).
 */
export const integrationProcedure = t.procedure.use(async ({ ctx, next }) => {
  const integration = await integrationCallerOrRefuse(ctx)
  return next({ ctx: { integration, workspaceId: integration.workspaceId } })
})

/**
 * The integration caller of the request's API token (core's `resolveIntegrationCaller`), or
 * UNAUTHORIZED; the JSON routes ask it first, before a refused input.
 */
export const integrationCallerOrRefuse = async (ctx: PortalContext): Promise<IntegrationCaller> => {
  const integration = await integrationCallerOf(ctx)
  if (integration === null)
    throw new PortalApiError("UNAUTHORIZED", "A valid API token is required", { reason: "apiToken" })
  return integration
}

/** The workspace of the request's API token, or UNAUTHORIZED. */
export const integrationWorkspaceOf = async (ctx: PortalContext) => (await integrationCallerOrRefuse(ctx)).workspaceId
