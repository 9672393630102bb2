/**
 * `admin`: the portal's settings screens (P-SET, P-DOM, P-AUTH-2, P-CON, P-BRAND-1). Every
 * procedure needs an agent session with `portal.settings` (P-SET-1: FORBIDDEN otherwise); the
 * rules are core's (usecases/Settings.ts, Registration.ts), which check the permission again.
 * - settings are validated and saved whole with an optimistic version (P-SET-5): a stale
 *   version is CONFLICT, a rule broken is BAD_REQUEST with every issue and its path;
 * - enabling an incomplete setup is PRECONDITION_FAILED with the missing steps (P-SET-4);
 * - branding (P-BRAND-3): colours and logo/favicon addresses, checked by core (BAD_REQUEST with
 *   issues at `branding.logoUrl` …, nothing written) and replaced whole.
 * - who unsubscribed from notification emails, and subscribing a contact again (P-NOT-3).
 * - API tokens of the integration router (`apiTokens`, ApiTokensRouter.ts): list, create, revoke.
 * - Webhooks (`webhooks`, WebhooksRouter.ts): endpoints, delivery log, send again (P-HOOK-1).
 * Every issue and missing step carries core's `code` (and `params`) for the screens to translate.
 */
import type { PortalSettings } from "@portal/core/domain"
import {
  accessGroupLists,
  getBranding,
  getSettings,
  inviteAccessGroups,
  replaceDomains,
  resubscribeContact,
  settingsCatalog,
  unsubscribedContacts,
  updateBranding,
  updateSettings,
  workspaceDomains,
} from "@portal/core/usecases"
import { Effect } from "effect"
import { agentCallerOf, agentViewerOf, corePortal } from "../Callers.ts"
import type { PortalContext, ResolvedPortal } from "../context.ts"
import {
  BrandingInput,
  ConsentUpdateInput,
  DomainsInput,
  InviteInput,
  input,
  optionalInput,
  ResubscribeInput,
  SettingsUpdateInput,
  VersionInput,
} from "../Inputs.ts"
import { run } from "../Run.ts"
import { adminProcedure, router } from "../trpc.ts"
import { apiTokensRouter } from "./ApiTokensRouter.ts"
import { previewRouter } from "./PreviewRouter.ts"
import { webhooksRouter } from "./WebhooksRouter.ts"

type Agent = { readonly type: "agent"; readonly id: string; readonly permissions: ReadonlyArray<string> }

/** Read the settings, change them, save them whole (core validates and versions the save). */
const modify = async (
  ctx: PortalContext & { readonly portal: ResolvedPortal; readonly agent: Agent },
  version: number,
  change: (s: PortalSettings) => PortalSettings,
) => {
  const agent = agentViewerOf(ctx.portal, ctx.agent)
  return run(
    ctx,
    Effect.flatMap(getSettings(agent), (view) => updateSettings(agent, change(view.settings), version)),
  )
}

export const adminRouter = router({
  settings: router({
    get: adminProcedure.query(({ ctx }) => run(ctx, getSettings(agentViewerOf(ctx.portal, ctx.agent)))),
    update: adminProcedure
      .input(input(SettingsUpdateInput))
      .mutation(({ ctx, input }) =>
        run(ctx, updateSettings(agentViewerOf(ctx.portal, ctx.agent), input.settings, input.version)),
      ),
  }),

  /** P-SET-4: switch on; PRECONDITION_FAILED with `missingSteps` while the setup is incomplete. */
  enable: adminProcedure
    .input(input(VersionInput))
    .mutation(({ ctx, input }) => modify(ctx, input.version, (s) => ({ ...s, enabled: true }))),
  disable: adminProcedure
    .input(input(VersionInput))
    .mutation(({ ctx, input }) => modify(ctx, input.version, (s) => ({ ...s, enabled: false }))),

  /** P-CON-1, P-CON-3: the consent text (null removes it); consents already given keep theirs. */
  consent: adminProcedure.input(input(ConsentUpdateInput)).mutation(({ ctx, input }) =>
    modify(ctx, input.version, (s) => {
      const { consent: _, ...rest } = s
      return input.consent === null ? rest : { ...rest, consent: input.consent }
    }),
  ),

  domains: router({
    list: adminProcedure.query(({ ctx }) => run(ctx, workspaceDomains(agentCallerOf(ctx)))),
    /** Connect domains and set their language (P-DOM-1, P-DOM-3, P-DOM-4); replaces the list. */
    set: adminProcedure
      .input(input(DomainsInput))
      .mutation(({ ctx, input }) => run(ctx, replaceDomains(agentCallerOf(ctx), input.domains))),
  }),

  /** P-BRAND-3: the workspace's colours, favicon and logo; an update replaces them whole (a key left out is cleared). */
  branding: router({
    get: adminProcedure.query(({ ctx }) => run(ctx, getBranding(agentViewerOf(ctx.portal, ctx.agent)))),
    update: adminProcedure
      .input(input(BrandingInput))
      .mutation(({ ctx, input }) => run(ctx, updateBranding(agentViewerOf(ctx.portal, ctx.agent), input))),
  }),

  /** The choices the settings screens offer: pipelines with stages, inboxes, forms (P-FORM-2 eligibility). */
  catalog: adminProcedure.query(({ ctx }) => run(ctx, settingsCatalog(agentCallerOf(ctx)))),

  accessGroups: router({
    lists: adminProcedure.query(({ ctx }) => run(ctx, accessGroupLists(agentCallerOf(ctx)))),
    /** P-AUTH-2: email every contact of the chosen lists a single-use registration link. */
    invite: adminProcedure
      .input(optionalInput(InviteInput))
      .mutation(({ ctx, input }) =>
        run(
          ctx,
          inviteAccessGroups(
            agentViewerOf(ctx.portal, ctx.agent),
            corePortal(ctx, ctx.portal),
            input?.includeRegistered === undefined ? {} : { includeRegistered: input.includeRegistered },
          ),
        ),
      ),
  }),

  /**
   * P-NOT-3: the contacts who unsubscribed from notification emails (a bounded list and the total),
   * and subscribing one again when the contact asked for it (NOT_FOUND for an unknown contact).
   */
  unsubscribes: router({
    list: adminProcedure.query(({ ctx }) => run(ctx, unsubscribedContacts(agentCallerOf(ctx)))),
    resubscribe: adminProcedure
      .input(input(ResubscribeInput))
      .mutation(({ ctx, input }) => run(ctx, resubscribeContact(agentCallerOf(ctx), input.contactId))),
  }),

  preview: previewRouter,

  /** The integration API tokens of the workspace (ApiTokensRouter.ts). */
  apiTokens: apiTokensRouter,

  /** P-HOOK-1: the workspace's webhook endpoints and their delivery log (WebhooksRouter.ts). */
  webhooks: webhooksRouter,
})
