// The ticket list (P-LIST-1..3, P-VIS-2): status filter, search and the company view in the URL.
import { callerOf, handleLoadFailure } from "$lib/server/api"
import type { PageServerLoad } from "./$types"

const PAGE_SIZE = 25

export const load: PageServerLoad = async ({ locals, url, parent }) => {
  await parent()
  const caller = callerOf(locals)
  const params = url.searchParams
  const statusParam = params.get("status")
  const status: "open" | "closed" | null = statusParam === "open" || statusParam === "closed" ? statusParam : null
  const viewParam = params.get("view")
  const view: "all" | "organization" | "mine" = viewParam === "organization" || viewParam === "mine" ? viewParam : "all"
  const q = (params.get("q") ?? "").trim().slice(0, 200)
  const cursor = params.get("cursor") || null
  try {
    const listing = await caller.tickets.list({
      view,
      status,
      q: q || null,
      sort: "lastActivity",
      cursor,
      limit: PAGE_SIZE,
    })
    return {
      tickets: listing.items,
      nextCursor: listing.nextCursor,
      organizationView: listing.organizationView,
      preview: listing.preview,
      query: { view, status, q, cursor },
    }
  } catch (e) {
    return handleLoadFailure(e, url)
  }
}
