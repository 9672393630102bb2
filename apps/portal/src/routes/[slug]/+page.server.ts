// The ticket list (P-LIST-1..3, P-VIS-2, P-EXT-4): status filter, search, the company view, the
// sort (?sort=subject&dir=asc; anything unknown is the default) and the page (a cursor and the way
// back, lib/paging.ts) in the URL.
import type { ListDirection, SortOrder } from "@portal/core/domain"
import { defaultDirection } from "@portal/core/rules"
import { redirect } from "@sveltejs/kit"
import { positionOf } from "$lib/paging"
import { apiFailure, callerOf, handleLoadFailure } from "$lib/server/api"
import { languageOf, listRow } from "$lib/server/people"
import type { PageServerLoad } from "./$types"

const PAGE_SIZE = 25

/** The sortable columns, in the table's order (the requester column is not one). */
const SORTS: ReadonlyArray<SortOrder> = ["subject", "created", "owner", "lastActivity", "status"]
const sortOf = (value: string | null): SortOrder => SORTS.find((s) => s === value) ?? "lastActivity"
const directionOf = (value: string | null, sort: SortOrder): ListDirection =>
  value === "asc" || value === "desc" ? value : defaultDirection(sort)

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
  const sort = sortOf(params.get("sort"))
  const dir = directionOf(params.get("dir"), sort)
  // What each header's link asks for: the other direction on the sorted column, else its default.
  const sortLinks = Object.fromEntries(
    SORTS.map((s) => [s, s === sort ? (dir === "asc" ? "desc" : "asc") : defaultDirection(s)]),
  ) as Record<SortOrder, ListDirection>
  const position = positionOf(params)
  try {
    const listing = await caller.tickets.list({
      view,
      status,
      q: q || null,
      sort,
      direction: dir,
      cursor: position.cursor,
      limit: PAGE_SIZE,
    })
    const language = languageOf(locals)
    return {
      tickets: listing.items.map((item) => listRow(item, language)),
      nextCursor: listing.nextCursor,
      organizationView: listing.organizationView,
      // P-EXT-1: the switch offers "Shared with me" once something is shared (or it is the view).
      sharedView: listing.sharedView === true || view === "shared",
      preview: listing.preview,
      query: { view, status, q, sort, dir, defaultDir: defaultDirection(sort) },
      sortLinks,
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
