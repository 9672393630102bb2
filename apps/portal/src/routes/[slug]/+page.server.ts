// The ticket list (P-LIST-1..3, P-VIS-2): status filter, search, the company view and the page
// (a cursor and the way back, lib/paging.ts) in the URL.
import { redirect } from "@sveltejs/kit"
import { positionOf } from "$lib/paging"
import { apiFailure, callerOf, handleLoadFailure } from "$lib/server/api"
import { languageOf, namedTicket } from "$lib/server/people"
import type { PageServerLoad } from "./$types"

const PAGE_SIZE = 25

export const load: PageServerLoad = async ({ locals, url, parent }) => {
  await parent()
  const caller = callerOf(locals)
  const params = url.searchParams
  const statusParam = params.get("status")
  const status: "open" | "closed" | null = statusParam === "open" || statusParam === "closed" ? statusParam : null
  const viewParam = params.get("view")
  const view: "all" | "organization" | "mine" | "shared" =
    viewParam === "organization" || viewParam === "mine" || viewParam === "shared" ? viewParam : "all"
  const q = (params.get("q") ?? "").trim().slice(0, 200)
  const position = positionOf(params)
  try {
    const listing = await caller.tickets.list({
      view,
      status,
      q: q || null,
      sort: "lastActivity",
      cursor: position.cursor,
      limit: PAGE_SIZE,
    })
    return {
      tickets: listing.items.map((item) => namedTicket(item, languageOf(locals))),
      nextCursor: listing.nextCursor,
      organizationView: listing.organizationView,
      // P-EXT-1: the switch offers "Shared with me" once something is shared (or it is the view).
      sharedView: listing.sharedView === true || view === "shared",
      preview: listing.preview,
      query: { view, status, q },
      position,
    }
  } catch (e) {
    // A cursor the API does not accept (edited or outdated link): the first page with the same filters.
    if (position.cursor !== null && apiFailure(e)?.code === "BAD_REQUEST") {
      const first = new URL(url)
      first.searchParams.delete("cursor")
      first.searchParams.delete("prev")
      redirect(303, first.pathname + first.search)
    }
    return handleLoadFailure(e, url)
  }
}
