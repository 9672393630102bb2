/**
 * `admin`: the portal's settings screens (P-SET, P-DOM, P-AUTH-2, P-CON, P-BRAND-1). Every
 * procedure needs an agent session with `portal.settings` (P-SET-1: FORBIDDEN otherwise); the
 * rules are core's (usecases/Settings.ts, Registration.ts), which check the permission again.
 * - settings are validated and saved whole with an optimistic version (P-SET-5): a stale
 *   version is CONFLICT, a rule broken is BAD_REQUEST with every issue and its path;
 * - enabling an incomplete setup is PRECONDITION_FAILED with the missing steps (P-SET-4);
 * - branding (P-BRAND-3): colours and logo/favicon addresses, checked by core (BAD_REQUEST with
 *   issues at `branding.logoUrl` …, nothing written) and replaced whole.
 * - API tokens of the integration router (`apiTokens`, ApiTokensRouter.ts): list, create, revoke.
 * Every issue and missing step carries core's `code` (and `params`) for the screens to translate.
 */
import {
  type Domain,
  domainHostIssues,
  domainListIssues,
  enablementBlockers,
  formIneligibility,
  getBranding,
  getSettings,
  inviteAccessGroups,
  normalizeHost,
  type PortalSettings,
  SetupIncomplete,
  updateBranding,
  updateSettings,
  ValidationFailed,
  WorkspaceStore,
} from "@portal/core"
import { Effect, Option } from "effect"
import { agentViewerOf, corePortal } from "../Callers.ts"
import type { PortalContext, ResolvedPortal } from "../context.ts"
import {
  BrandingInput,
  ConsentUpdateInput,
  DomainsInput,
  InviteInput,
  input,
  optionalInput,
  SettingsUpdateInput,
  VersionInput,
} from "../Inputs.ts"
import { run } from "../Run.ts"
import { adminProcedure, router } from "../trpc.ts"
import { apiTokensRouter } from "./ApiTokensRouter.ts"
import { previewRouter } from "./PreviewRouter.ts"

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

const catalogOf = (workspaceId: ResolvedPortal["workspaceId"]) =>
  WorkspaceStore.use((s) => s.catalog(workspaceId)).pipe(Effect.map(Option.getOrNull))

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
    list: adminProcedure.query(async ({ ctx }) => {
      const catalog = await run(ctx, catalogOf(ctx.portal.workspaceId))
      return (catalog?.domains ?? []).map((d) => ({
        host: d.host,
        language: d.language,
        issues: domainHostIssues(d.host),
        current: normalizeHost(d.host) === ctx.portal.host,
      }))
    }),
    /** Connect domains and set their language (P-DOM-1, P-DOM-3, P-DOM-4); replaces the list. */
    set: adminProcedure.input(input(DomainsInput)).mutation(async ({ ctx, input }) => {
      const domains: Array<Domain> = input.domains.map((d) => ({ host: normalizeHost(d.host), language: d.language }))
      const issues = domainListIssues(domains)
      await run(
        ctx,
        Effect.gen(function* () {
          if (issues.length > 0) return yield* new ValidationFailed({ issues })
          const settings = ctx.portal.settings
          const blockers = enablementBlockers(settings, { domains })
          if (settings.enabled && blockers.length > 0) return yield* new SetupIncomplete({ missing: blockers })
          yield* (yield* WorkspaceStore).setDomains(ctx.portal.workspaceId, domains)
        }),
      )
      return { domains }
    }),
  }),

  /** P-BRAND-3: the workspace's colours, favicon and logo; an update replaces them whole (a key left out is cleared). */
  branding: router({
    get: adminProcedure.query(({ ctx }) => run(ctx, getBranding(agentViewerOf(ctx.portal, ctx.agent)))),
    update: adminProcedure
      .input(input(BrandingInput))
      .mutation(({ ctx, input }) => run(ctx, updateBranding(agentViewerOf(ctx.portal, ctx.agent), input))),
  }),

  /** The choices the settings screens offer: pipelines with stages, inboxes, forms (P-FORM-2 eligibility). */
  catalog: adminProcedure.query(async ({ ctx }) => {
    const catalog = await run(ctx, catalogOf(ctx.portal.workspaceId))
    const inboxIds = (catalog?.inboxes ?? []).map((i) => i.id)
    return {
      pipelines: catalog?.pipelines ?? [],
      inboxes: catalog?.inboxes ?? [],
      forms: (catalog?.forms ?? []).map((f) => ({ ...f, eligible: formIneligibility(f, inboxIds).length === 0 })),
    }
  }),

  accessGroups: router({
    lists: adminProcedure.query(async ({ ctx }) => {
      const catalog = await run(ctx, catalogOf(ctx.portal.workspaceId))
      return (catalog?.lists ?? []).map((l) => ({ id: l.id, name: l.name }))
    }),
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

  preview: previewRouter,

  /** The integration API tokens of the workspace (ApiTokensRouter.ts). */
  apiTokens: apiTokensRouter,
})
