import { isLang } from "$lib/i18n"
import { shellOf } from "$lib/server/shell"
import type { LayoutServerLoad } from "./$types"

export const load: LayoutServerLoad = async ({ locals, depends }) => {
  depends("portal:shell")
  const language = locals.portalRequest?.portal?.language
  return { lang: isLang(language) ? language : "en", ...(await shellOf(locals.portalRequest)) }
}
