/**
 * `GET /files/:attachmentId`: an attachment's bytes, only for someone who may see it (a contact
 * who sees the message it belongs to, or an agent of the workspace). Missing, invisible, of
 * another workspace, or nobody signed in: the same 404 with the same body (P-VIS-4), and not
 * before REFUSAL_FLOOR_MS after the request came in: core makes every refusal do the same store
 * reads, but a file on an internal comment of a ticket the customer sees reads real rows where a
 * missing id reads none, tens of microseconds that hundreds of samples can tell apart
 * (docs/visibility-timing.md). Below the floor, every refusal ends at the same time.
 * The response can never run in the portal's origin: `Content-Disposition: attachment` with a
 * safe file name, the content type sniffed from the bytes (never the uploader's), `nosniff`, and
 * a CSP that allows nothing.
 */

import { setTimeout as sleep } from "node:timers/promises"
import {
  apiErrorOfCause,
  httpBodyOf,
  httpStatusOf,
  NOT_FOUND_MESSAGE,
  type PortalRuntime,
  runExit,
  type Subject,
} from "@portal/api"
import { IdString } from "@portal/core/domain"
import { withoutBidiControls } from "@portal/core/rules"
import { authorizeDownload, type Downloader } from "@portal/core/usecases"
import { Cause, Exit, Schema } from "effect"
import { type Response, Router } from "express"
import type { Logger } from "../Logger.ts"
import { sniffContentType } from "../Sniff.ts"
import { contextOf } from "./RequestContext.ts"

export const FILE_NOT_FOUND_BODY = { error: NOT_FOUND_MESSAGE }

/** P-SEC-2: an attachment id is a checked id (a line of 1..255 characters) or no attachment at all. */
const isAttachmentId = Schema.is(IdString)

/** An ASCII fallback name (quotes, slashes, control and non-ASCII characters replaced). */
export const asciiFileName = (name: string): string => {
  const safe = name
    .replace(/[^\x20-\x7e]|["\\/;%]/g, "_")
    .replace(/^\.+/, "_")
    .trim()
    .slice(0, 150)
  return safe.length === 0 ? "download" : safe
}

/** The download's file name as people see it: no bidi control may reorder it ("\u202Egnp.exe" is no "exe.png"). */
export const contentDisposition = (stored: string): string => {
  const name = withoutBidiControls(stored)
  // Whole code points, a lone surrogate as U+FFFD: encodeURIComponent throws on half a pair.
  const kept = Array.from(name.slice(0, 256))
    .slice(0, 255)
    .map((c) => (c.length === 1 && c >= "\ud800" && c <= "\udfff" ? "\ufffd" : c))
    .join("")
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encodeURIComponent(kept).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
}

/** The session's subject as core's download rule takes it. */
const downloaderOf = (subject: Subject | null): Downloader | null =>
  subject === null ? null : ({ type: subject.type, id: subject.id } as Downloader)

/** The least time a refused download takes (ms): well above what a refusal's reads cost. */
export const REFUSAL_FLOOR_MS = 50

const notFound = (res: Response) => {
  res.setHeader("Cache-Control", "no-store")
  res.status(404).json(FILE_NOT_FOUND_BODY)
}

export const fileRoutes = (runtime: PortalRuntime, logger: Logger): Router => {
  const router = Router()
  router.get("/files/:attachmentId", async (req, res) => {
    // The floor's timer starts before any work, so when it fires does not depend on what the
    // refusal read (a delay computed after the work would carry the work's length into it).
    const floor = new AbortController()
    const floorReached = sleep(REFUSAL_FLOOR_MS, undefined, { signal: floor.signal }).catch(() => undefined)
    const refuse = async () => {
      await floorReached
      notFound(res)
    }
    const ctx = contextOf(req)
    if (ctx.portal === null) return refuse()
    const id = String(req.params.attachmentId ?? "")
    if (!isAttachmentId(id)) return refuse()
    const exit = await runExit(
      { runtime },
      authorizeDownload(ctx.portal.workspaceId, downloaderOf(ctx.session?.subject ?? null), id),
    )
    if (Exit.isFailure(exit)) {
      // Core's error through the one mapping every route uses (ErrorMapper.ts): not found is
      // the floored 404; anything else answers as /trpc would, with its fixed message.
      const error = apiErrorOfCause(exit.cause)
      if (error.code === "NOT_FOUND") return refuse()
      floor.abort()
      logger.error({ cause: Cause.pretty(exit.cause) }, "download failed")
      res.setHeader("Cache-Control", "no-store")
      return res.status(httpStatusOf(error)).json(httpBodyOf(error))
    }
    floor.abort()
    const { attachment, bytes } = exit.value
    res.setHeader("Content-Type", sniffContentType(bytes))
    res.setHeader("Content-Disposition", contentDisposition(attachment.name))
    res.setHeader("Content-Length", String(bytes.byteLength))
    res.setHeader("X-Content-Type-Options", "nosniff")
    res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox")
    res.setHeader("Cache-Control", "private, no-store")
    res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  })
  return router
}
