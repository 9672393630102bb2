// Sign-out (P-AUTH-6): a POST from the button at the top right of every page.
import { redirect } from "@sveltejs/kit"
import { paths } from "$lib/paths"
import { callerOf } from "$lib/server/api"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = () => redirect(303, "/")

export const actions: Actions = {
  default: async ({ locals, request }) => {
    const agent = locals.portalRequest?.session?.subject.type === "agent"
    // An agent signing out of the agent workspace comes back to its sign-in, else to the settings'.
    const fromWorkspace = (await request.formData().catch(() => null))?.get("from") === "agent"
    await callerOf(locals).auth.signOut()
    redirect(303, agent ? `${fromWorkspace ? paths.agent : paths.adminSignIn}?signedOut=1` : paths.signedOut)
  },
}
