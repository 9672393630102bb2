// Everything under /<slug> (P-DOM-2) is for a signed-in viewer of this portal.
import { error, redirect } from "@sveltejs/kit"
import { paths, withNext } from "$lib/paths"
import { requireShell } from "$lib/server/shell"
import type { LayoutServerLoad } from "./$types"

export const load: LayoutServerLoad = async ({ parent, params, url, locals }) => {
  const shell = requireShell(await parent())
  if (params.slug !== shell.slug) error(404, { message: "Not found" })
  if (!shell.viewer) {
    const ended = locals.portalRequest?.sessionEnded === "idle"
    redirect(303, withNext(ended ? paths.sessionExpired : paths.signIn, url.pathname + url.search))
  }
  // Pages below get a shell that is known to be there.
  return { shell }
}
