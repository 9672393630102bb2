// Sign-out (P-AUTH-6): a POST from the button at the top right of every page.
import { redirect } from "@sveltejs/kit"
import { paths } from "$lib/paths"
import { callerOf } from "$lib/server/api"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = () => redirect(303, "/")

export const actions: Actions = {
  default: async ({ locals }) => {
    const agent = locals.portalRequest?.session?.subject.type === "agent"
    await callerOf(locals).auth.signOut()
    redirect(303, agent ? `${paths.adminSignIn}?signedOut=1` : paths.signedOut)
  },
}
