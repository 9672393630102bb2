// The idle-timeout sign-out page (P-AUTH-6): the server ended the idle session (or the browser's
// idle timer did, through the sign-out action); this page says why.
import { safeNext } from "$lib/server/api"
import type { PageServerLoad } from "./$types"

export const load: PageServerLoad = async ({ url, parent }) => {
  const { shell } = await parent()
  return { minutes: shell?.idleTimeoutMinutes ?? 60, next: safeNext(url.searchParams.get("next"), url) }
}
