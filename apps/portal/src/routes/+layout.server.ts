import { isLang } from "$lib/i18n"
import { shellOf } from "$lib/server/shell"
import type { LayoutServerLoad } from "./$types"

export const load: LayoutServerLoad = async ({ locals, depends, url }) => {
  depends("portal:shell")
  const language = locals.portalRequest?.portal?.language ?? locals.unavailable?.language
  const frame = await shellOf(locals.portalRequest, locals.unavailable !== null)
  // P-DATA-3: while the database is unavailable the frame is read again at the next navigation
  // (reading the URL makes SvelteKit re-run this load when it changes), not kept empty.
  if (frame.unavailable === "unavailable") void url.href
  // The language and time zone of the translator; a page without a portal still renders (404 page).
  return { lang: isLang(language) ? language : "en", timeZone: frame.shell?.timeZone ?? null, ...frame }
}
