// The portal settings screens (P-SET-1): agents with `portal.settings` only. The first render
// reads the settings in-process; saves go from the browser through /trpc (lib/admin/trpc.ts).
import type { StatusDisplay } from "@portal/core/domain"
import { defaultTimeZone } from "@portal/core/rules"
import { error, redirect } from "@sveltejs/kit"
import type { SampleSet, Samples } from "$lib/admin/Preview.svelte"
import { paths } from "$lib/paths"
import { adminCatalog } from "$lib/server/admin-catalog"
import { apiFailure, callerOf } from "$lib/server/api"
import { languageOf, namedMessage, namedTicket } from "$lib/server/people"
import type { PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ locals, parent, url }) => {
  const { shell } = await parent()
  const caller = callerOf(locals)
  if (locals.portalRequest?.session?.subject.type !== "agent") redirect(303, paths.adminSignIn)
  if (!shell?.viewer?.canAdmin) error(403, { message: "Forbidden", key: "adminForbidden" })
  try {
    const language = languageOf(locals)
    // P-BRAND-1: the API's sample tickets, in the portal's language, for the template previews,
    // labelled by core for each status display (the draft may switch it before it is saved).
    const sampleSet = async (statusDisplay: StatusDisplay): Promise<SampleSet> => {
      const [list, detail] = await Promise.all([
        caller.admin.preview({ page: "list", source: "sample", statusDisplay }),
        caller.admin.preview({ page: "detail", source: "sample", statusDisplay }),
      ])
      const sample = detail.page === "detail" ? detail.detail : null
      return {
        tickets: list.page === "list" ? list.list.items.map((item) => namedTicket(item, language)) : [],
        detail: sample && {
          ...sample,
          ticket: namedTicket(sample.ticket, language),
          messages: sample.messages.map((m) => namedMessage(m, language)),
        },
      }
    }
    const [view, catalog, openClosed, stages, { branding }, apiTokens, unsubscribed, webhooks] = await Promise.all([
      caller.admin.settings.get(),
      adminCatalog(caller),
      sampleSet("openClosed"),
      sampleSet("stages"),
      caller.admin.branding.get(),
      caller.admin.apiTokens.list(),
      caller.admin.unsubscribes.list(),
      caller.admin.webhooks.list(),
    ])
    const samples: Samples = { openClosed, stages }
    // The time zones this server knows (the API accepts the same names), and the language's default.
    const names = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")]
    const timeZones = { names, fallback: defaultTimeZone(language) }
    return {
      shell,
      view,
      catalog,
      samples,
      branding,
      timeZones,
      apiTokens,
      unsubscribed,
      webhooks,
      origin: url.origin,
    }
  } catch (e) {
    if (apiFailure(e)?.code === "FORBIDDEN") error(403, { message: "Forbidden", key: "adminForbidden" })
    throw e
  }
}
