// The start page: the ticket list when signed in, the sign-in page otherwise.
import { redirect } from "@sveltejs/kit"
import { paths } from "$lib/paths"
import { requireShell } from "$lib/server/shell"
import type { PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ parent }) => {
  const shell = requireShell(await parent())
  if (shell.viewer?.type === "agent" && shell.viewer.canAdmin) redirect(303, paths.admin)
  if (shell.viewer?.type === "agent" && shell.viewer.canWork) redirect(303, paths.agent)
  redirect(303, shell.viewer ? `/${shell.slug}` : paths.signIn)
}
