/**
 * Once for the portal-e2e project: build the portal if needed, start a local SMTP server (the
 * mailbox) and the real server sending to it; the tests reach them through `inject("port")` and
 * `inject("mailbox")`, and the integration API with `inject("apiTokens")`. A local OpenID
 * Provider (oidc-provider) runs beside them for the OIDC sign-in test (`inject("oidcIssuer")`);
 * its client's callback is the English portal's. Without Chromium the tests skip (fail on CI).
 */
import { randomBytes } from "node:crypto"
import { startOidcProvider } from "@portal/identity/testing"
import type { TestProject } from "vitest/node"
import { skipReason } from "./support/env.ts"
import { startMailbox } from "./support/mailbox.ts"
import { ensureBuilt, startServer } from "./support/server.ts"

declare module "vitest" {
  export interface ProvidedContext {
    port: number
    skip: string | null
    /** The mailbox's HTTP view (support/mailbox.ts). */
    mailbox: string
    /** Integration API tokens of the demo workspaces (PORTAL_API_TOKENS). */
    apiTokens: { readonly acme: string; readonly sakura: string }
    /** The local OpenID Provider's issuer URL (client: CLIENT of @portal/identity/testing). */
    oidcIssuer: string
  }
}

export default async function setup(project: TestProject) {
  const skip = skipReason()
  project.provide("skip", skip)
  if (skip !== null) {
    console.warn(`[portal-e2e] skipped: ${skip}`)
    project.provide("port", 0)
    project.provide("mailbox", "")
    project.provide("apiTokens", { acme: "", sakura: "" })
    project.provide("oidcIssuer", "")
    return
  }
  ensureBuilt()
  const mailbox = await startMailbox()
  const oidc = await startOidcProvider()
  const apiTokens = { acme: randomBytes(24).toString("base64url"), sakura: randomBytes(24).toString("base64url") }
  const server = await startServer({
    SMTP_URL: mailbox.smtpUrl,
    MAIL_FROM: "Portal e2e <portal@e2e.test>",
    PORTAL_API_TOKENS: `acme:${apiTokens.acme},sakura:${apiTokens.sakura}`,
    // The local provider's issuer is http://127.0.0.1:…; a real one must be https.
    OIDC_ALLOW_INSECURE: "1",
    // P-HOOK-2: the webhook e2e's receiver listens on 127.0.0.1 over http.
    PORTAL_WEBHOOK_ALLOW_PRIVATE: "1",
    PORTAL_WEBHOOK_POLL_MS: "200",
  }).catch(async (e) => {
    await Promise.all([mailbox.stop(), oidc.close()])
    throw e
  })
  oidc.register(`http://localhost:${server.port}/sso/oidc/callback`)
  project.provide("port", server.port)
  project.provide("mailbox", mailbox.url)
  project.provide("apiTokens", apiTokens)
  project.provide("oidcIssuer", oidc.issuer)
  return async () => {
    await server.stop()
    await mailbox.stop()
    await oidc.close()
  }
}
