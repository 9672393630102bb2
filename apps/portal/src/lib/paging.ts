/**
 * Paging of the ticket list with the API's forward-only cursors. The URL keeps the way back:
 * `?cursor=<this page's cursor>&prev=<cursors of the earlier pages, oldest first>` (the first page
 * has no cursor, so it is never in `prev`). Cursors are base64url, so "." can join them. Works
 * without JavaScript, survives a reload, and a shared link opens the same page.
 */

/** Longest way back kept in the URL; deeper pages still go forward and to the first page. */
export const MAX_STACK = 40

const CURSOR = /^[A-Za-z0-9_-]{1,200}$/

export interface PagePosition {
  /** This page's cursor; null on the first page. */
  readonly cursor: string | null
  /** Cursors of the pages before this one, oldest first (never the first page's). */
  readonly prev: ReadonlyArray<string>
}

/** The position a URL names; anything malformed counts as the first page. */
export const positionOf = (params: URLSearchParams): PagePosition => {
  const cursor = params.get("cursor")
  if (!cursor || !CURSOR.test(cursor)) return { cursor: null, prev: [] }
  const prev = (params.get("prev") ?? "")
    .split(".")
    .filter((c) => CURSOR.test(c))
    .slice(-MAX_STACK)
  return { cursor, prev }
}

/** 1 for the first page; unknown depth past MAX_STACK shows as the deepest known. */
export const pageNumber = (position: PagePosition): number => (position.cursor === null ? 1 : position.prev.length + 2)

export const nextPosition = (position: PagePosition, nextCursor: string): PagePosition => ({
  cursor: nextCursor,
  prev: position.cursor === null ? [] : [...position.prev, position.cursor].slice(-MAX_STACK),
})

/** The page before; null on the first page. */
export const previousPosition = (position: PagePosition): PagePosition | null =>
  position.cursor === null ? null : { cursor: position.prev.at(-1) ?? null, prev: position.prev.slice(0, -1) }

/** The URL parameters of a position (none for the first page). */
export const positionParams = (position: PagePosition): { cursor: string | null; prev: string | null } => ({
  cursor: position.cursor,
  prev: position.cursor !== null && position.prev.length > 0 ? position.prev.join(".") : null,
})
