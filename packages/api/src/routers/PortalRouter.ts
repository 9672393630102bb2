/**
 * `portal.info`: what every page needs to render before anyone signs in: the workspace's name and
 * branding (P-BRAND-3), language (P-DOM-4), page title (P-SET-2), ticket label (P-SET-3), slug
 * (P-DOM-2), navigation (P-BRAND-4), the support form's menu and header text (P-FORM-1), how to
 * sign in (P-AUTH-1..5), the consent texts (P-CON-1), the idle timeout (P-AUTH-6) and the time
 * zone dates are shown in (the setting, else Asia/Tokyo for ja and UTC for en: rules/Locale.ts).
 * A disabled portal is shown only to the workspace's agents, as a preview (P-AUTH-7); everyone
 * else gets "not available" (NOT_FOUND, reason portalDisabled). No secret (SSO keys) is returned.
 */
import { portalInfo } from "@portal/core/usecases"
import { portalCallerOf } from "../Callers.ts"
import { run } from "../Run.ts"
import { assertAvailable, portalProcedure, router } from "../trpc.ts"

export const portalRouter = router({
  info: portalProcedure.query(async ({ ctx }) => {
    assertAvailable(ctx, ctx.portal)
    return run(ctx, portalInfo(portalCallerOf(ctx)))
  }),
})
