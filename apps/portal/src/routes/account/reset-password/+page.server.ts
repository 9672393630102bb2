// Password reset, step 2: the single-use link of the email sets a new password.
import { paths } from "$lib/paths"
import { tokenPasswordAction } from "$lib/server/token-password"
import type { Actions, PageServerLoad } from "./$types"

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get("token") ?? "" })

export const actions: Actions = {
  default: tokenPasswordAction({
    submit: (caller, input) => caller.auth.resetPassword(input),
    invalidKey: "auth.reset.invalid" as const,
    doneUrl: () => `${paths.signIn}?reset=1`,
  }),
}
