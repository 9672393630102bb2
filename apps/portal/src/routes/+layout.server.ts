import { isLang } from "$lib/i18n"
import { shellOf } from "$lib/server/shell"
import type { LayoutServerLoad } from "./$types"

export const load: LayoutServerLoad = async ({ locals, depends }) => {
  depends("portal:shell")
  const language = locals.portalRequest?.portal?.language
  const frame = await shellOf(locals.portalRequest)
  // The language and time zone of the translator; a page without a portal still renders (404 page).
  return { lang: isLang(language) ? language : "en", timeZone: frame.shell?.timeZone ?? null, ...frame }
}
