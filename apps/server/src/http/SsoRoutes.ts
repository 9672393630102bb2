/**
 * Single sign-on (P-AUTH-5), on the portal's own host:
 * - `GET /sso/jwt?token=<JWT>&redirect=<path>` (WORKSPACE_FORMAT.md): a valid, unused token of an
 *   allowed contact starts a session and redirects to the local path (default the ticket list);
 * - `GET /sso/saml/login` → the IdP (HTTP-Redirect); `POST /sso/saml/acs` ← the IdP's signed
 *   Response (HTTP-POST); `GET /sso/saml/metadata`: the SP metadata for the IdP admin;
 * - `GET /sso/oidc/login` → the IdP (code flow, PKCE, state, nonce); `GET /sso/oidc/callback`.
 * Every refusal (bad token, replay, wrong audience, contact not in the lists, …) ends on the
 * access denied page with no session. The verifiers are @portal/identity's.
 */

import { runExit } from "@portal/api"
import {
  createSamlLoginUrl,
  finishOidcLogin,
  samlServiceProviderMetadata,
  startOidcLogin,
  verifyPortalJwt,
  verifySamlResponse,
} from "@portal/identity"
import { parseCookie, stringifySetCookie } from "cookie"
import { Exit } from "effect"
import { type Request, type Response, Router, urlencoded } from "express"
import { contextOf, isSecure } from "./RequestContext.ts"
import { openState, sealState } from "./SignedState.ts"
import {
  afterSignIn,
  claimOnceFor,
  deny,
  finishSignIn,
  noStore,
  queryString,
  refused,
  type SsoDeps,
  type SsoPortal,
} from "./SsoCommon.ts"

const STATE_TTL_SECONDS = 600
const SAML_COOKIE = "portal_saml"
const OIDC_COOKIE = "portal_oidc"

const portalOf = (req: Request): SsoPortal | null => {
  const ctx = contextOf(req)
  return ctx.portal === null ? null : (ctx as SsoPortal)
}

const stateCookie = (
  req: Request,
  res: Response,
  name: string,
  value: string,
  path: string,
  crossSitePost: boolean,
) => {
  const secure = isSecure(req)
  res.append(
    "Set-Cookie",
    stringifySetCookie({
      name,
      value,
      path,
      httpOnly: true,
      secure,
      // The SAML response comes back as a cross-site POST: only SameSite=None (https) rides along.
      sameSite: crossSitePost && secure ? "none" : "lax",
      maxAge: value === "" ? 0 : STATE_TTL_SECONDS,
    }),
  )
}

const cookieOf = (req: Request, name: string) => parseCookie(req.headers.cookie ?? "")[name]

export const ssoRoutes = (deps: SsoDeps): Router => {
  const router = Router()
  const notFound = (res: Response) => res.status(404).type("text/plain").send("Not found")

  router.get("/sso/jwt", async (req, res) => {
    const ctx = portalOf(req)
    if (ctx === null) return notFound(res)
    const access = ctx.portal.settings.access
    if (access.method !== "sso" || access.protocol !== "jwt") return deny(res, "methodNotOffered")
    const exit = await runExit(
      deps,
      verifyPortalJwt(queryString(req, "token") ?? "", access.jwt, {
        now: new Date(),
        claimOnce: claimOnceFor(deps.runtime, ctx.portal.workspaceId, "sso:jwt"),
      }),
    )
    if (Exit.isFailure(exit)) return refused(deps, res, exit.cause)
    return finishSignIn(deps, ctx, res, exit.value, afterSignIn(ctx, queryString(req, "redirect")))
  })

  const samlCallback = (ctx: SsoPortal) => `${ctx.origin}/sso/saml/acs`

  router.get("/sso/saml/metadata", (req, res) => {
    const ctx = portalOf(req)
    if (ctx === null) return notFound(res)
    const access = ctx.portal.settings.access
    if (access.method !== "sso" || access.protocol !== "saml") return notFound(res)
    res.type("application/samlmetadata+xml").send(samlServiceProviderMetadata(access.saml, samlCallback(ctx)))
  })

  router.get("/sso/saml/login", async (req, res) => {
    const ctx = portalOf(req)
    if (ctx === null) return notFound(res)
    const access = ctx.portal.settings.access
    if (access.method !== "sso" || access.protocol !== "saml") return deny(res, "methodNotOffered")
    const redirect = afterSignIn(ctx, queryString(req, "redirect"))
    const exit = await runExit(
      deps,
      createSamlLoginUrl(access.saml, { callbackUrl: samlCallback(ctx), relayState: redirect }),
    )
    if (Exit.isFailure(exit)) return refused(deps, res, exit.cause)
    const sealed = sealState(deps.secret, "saml", { requestId: exit.value.requestId }, STATE_TTL_SECONDS)
    stateCookie(req, res, SAML_COOKIE, sealed, "/sso/saml", true)
    noStore(res)
    res.redirect(303, exit.value.url)
  })

  router.post("/sso/saml/acs", urlencoded({ extended: false, limit: "1mb" }), async (req, res) => {
    const ctx = portalOf(req)
    if (ctx === null) return notFound(res)
    const access = ctx.portal.settings.access
    if (access.method !== "sso" || access.protocol !== "saml") return deny(res, "methodNotOffered")
    const body = (req.body ?? {}) as Record<string, unknown>
    const response = typeof body.SAMLResponse === "string" ? body.SAMLResponse : ""
    // With the cookie (SP-initiated), InResponseTo must name our request; without it, IdP-initiated.
    const state = openState(deps.secret, "saml", cookieOf(req, SAML_COOKIE))
    const requestId = typeof state?.requestId === "string" ? state.requestId : undefined
    stateCookie(req, res, SAML_COOKIE, "", "/sso/saml", true)
    const exit = await runExit(
      deps,
      verifySamlResponse(access.saml, response, {
        callbackUrl: samlCallback(ctx),
        claimOnce: claimOnceFor(deps.runtime, ctx.portal.workspaceId, "sso:saml"),
        ...(requestId === undefined ? {} : { requestId }),
      }),
    )
    if (Exit.isFailure(exit)) return refused(deps, res, exit.cause)
    return finishSignIn(deps, ctx, res, exit.value, afterSignIn(ctx, body.RelayState))
  })

  const oidcCallback = (ctx: SsoPortal) => `${ctx.origin}/sso/oidc/callback`

  router.get("/sso/oidc/login", async (req, res) => {
    const ctx = portalOf(req)
    if (ctx === null) return notFound(res)
    const access = ctx.portal.settings.access
    if (access.method !== "sso" || access.protocol !== "oidc") return deny(res, "methodNotOffered")
    const exit = await runExit(
      deps,
      startOidcLogin(access.oidc, { redirectUri: oidcCallback(ctx), allowInsecureRequests: deps.oidcAllowInsecure }),
    )
    if (Exit.isFailure(exit)) return refused(deps, res, exit.cause)
    const { url, state, nonce, codeVerifier } = exit.value
    const redirect = afterSignIn(ctx, queryString(req, "redirect"))
    stateCookie(
      req,
      res,
      OIDC_COOKIE,
      sealState(deps.secret, "oidc", { state, nonce, codeVerifier, redirect }, STATE_TTL_SECONDS),
      "/sso/oidc",
      false,
    )
    noStore(res)
    res.redirect(303, url)
  })

  router.get("/sso/oidc/callback", async (req, res) => {
    const ctx = portalOf(req)
    if (ctx === null) return notFound(res)
    const access = ctx.portal.settings.access
    if (access.method !== "sso" || access.protocol !== "oidc") return deny(res, "methodNotOffered")
    const state = openState(deps.secret, "oidc", cookieOf(req, OIDC_COOKIE))
    stateCookie(req, res, OIDC_COOKIE, "", "/sso/oidc", false)
    const text = (k: string) => (typeof state?.[k] === "string" ? (state[k] as string) : "")
    if (state === null) return deny(res, "stateMismatch")
    const exit = await runExit(
      deps,
      finishOidcLogin(access.oidc, {
        currentUrl: req.originalUrl,
        redirectUri: oidcCallback(ctx),
        state: text("state"),
        nonce: text("nonce"),
        codeVerifier: text("codeVerifier"),
        allowInsecureRequests: deps.oidcAllowInsecure,
      }),
    )
    if (Exit.isFailure(exit)) return refused(deps, res, exit.cause)
    return finishSignIn(deps, ctx, res, exit.value, afterSignIn(ctx, state.redirect))
  })

  return router
}
