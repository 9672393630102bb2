// Registration from an invitation link (P-AUTH-2): the single-use token of the email sets a password.
import { tokenPasswordAction } from "$lib/server/token-password"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get("token") ?? "" })

export const actions: Actions = {
  default: tokenPasswordAction({
    submit: (caller, input) => caller.auth.acceptInvitation(input),
    invalidKey: "auth.invite.invalid" as const,
    doneUrl: ({ locals }) => `/${locals.portalRequest?.portal?.slug ?? ""}`,
  }),
}
