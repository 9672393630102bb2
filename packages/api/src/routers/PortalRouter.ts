/**
 * `portal.info`: what every page needs to render before anyone signs in: the workspace's name and
 * branding (P-BRAND-3), language (P-DOM-4), page title (P-SET-2), ticket label (P-SET-3), slug
 * (P-DOM-2), navigation (P-BRAND-4), the support form's menu and header text (P-FORM-1), how to
 * sign in (P-AUTH-1..5), the consent texts (P-CON-1), the idle timeout (P-AUTH-6) and the time
 * zone dates are shown in (the setting, else Asia/Tokyo for ja and UTC for en: rules/Locale.ts).
 * A disabled portal is shown only to the workspace's agents, as a preview (P-AUTH-7); everyone
 * else gets "not available" (NOT_FOUND, reason portalDisabled). No secret (SSO keys) is returned.
 */
import { portalTimeZone, signInOptions, ticketLabelOf, WorkspaceStore } from "@portal/core"
import { Effect, Option } from "effect"
import { run } from "../Run.ts"
import { assertAvailable, portalProcedure, router } from "../trpc.ts"

export const portalRouter = router({
  info: portalProcedure.query(async ({ ctx }) => {
    assertAvailable(ctx, ctx.portal)
    const { settings, domain, workspaceId } = ctx.portal
    const catalog = await run(
      ctx,
      WorkspaceStore.use((store) => store.catalog(workspaceId)).pipe(Effect.map(Option.getOrNull)),
    )
    const options = signInOptions(settings.access)
    const preview = ctx.session?.subject.type === "agent"
    return {
      workspace: {
        id: workspaceId,
        name: catalog?.workspace.name ?? workspaceId,
        branding: catalog?.workspace.branding ?? {},
      },
      host: ctx.portal.host,
      language: domain.language,
      enabled: settings.enabled,
      /** True when an agent is looking (a disabled portal, or the preview of the ticket list). */
      preview,
      pageTitle: settings.pageTitle,
      ticketLabel: ticketLabelOf(settings, domain.language),
      slug: settings.slug,
      navigation: settings.navigation,
      supportForm:
        settings.supportForm === null
          ? null
          : { menuText: settings.supportForm.menuText, headerText: settings.supportForm.headerText },
      access: {
        method: settings.access.method,
        password: options.password,
        selfRegistration: options.registerLink,
        sso: options.sso,
        /** Where the "Continue with single sign-on" button goes. */
        ssoLoginUrl: options.sso === "saml" ? "/sso/saml/login" : options.sso === "oidc" ? "/sso/oidc/login" : null,
      },
      consent:
        settings.access.method === "membership" && settings.access.registration === "self" && settings.consent
          ? {
              noticeText: settings.consent.noticeText,
              checkboxLabel: settings.consent.checkboxLabel,
              legalUrl: settings.consent.legalUrl ?? null,
            }
          : null,
      statusDisplay: settings.statusDisplay,
      idleTimeoutMinutes: settings.idleTimeoutMinutes,
      /** The IANA time zone every date of the portal is shown in, on the server and in the browser alike. */
      timeZone: portalTimeZone(settings, domain.language),
      allowClose: settings.actions.allowClose,
    }
  }),
})
