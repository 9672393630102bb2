/**
 * `/unsubscribe/:token` (P-NOT-3, RFC 8058): the link of every notification's List-Unsubscribe
 * header and footer. It works without signing in: the token is signed (rules/Unsubscribe.ts).
 * - GET shows a page with one button (a link scanner that follows links unsubscribes nobody);
 * - POST unsubscribes: the button's form, or a mail client's one-click
 *   `List-Unsubscribe=One-Click` POST. Answering twice is harmless.
 * A forged, changed or unknown token gets the same 404 page; nothing changes.
 */

import { httpStatusOf, toApiErrorUnknown } from "@portal/api"
import type { Language } from "@portal/core/domain"
import { verifyUnsubscribeToken } from "@portal/core/rules"
import { escapeHtml, unsubscribeContact, unsubscribeTarget } from "@portal/core/usecases"
import { Option } from "effect"
import express, { type Request, type Response, Router } from "express"
import type { Logger } from "../Logger.ts"
import type { ServerRuntime } from "../Runtime.ts"

const COPY = {
  en: {
    title: "Unsubscribe",
    ask: "Stop receiving email notifications about your requests?",
    button: "Unsubscribe",
    done: "You are unsubscribed. You will receive no more notification emails.",
    invalid: "This unsubscribe link is not valid.",
  },
  ja: {
    title: "配信停止",
    ask: "お問い合わせに関するメール通知の配信を停止しますか?",
    button: "配信を停止する",
    done: "配信を停止しました。今後、通知メールは送信されません。",
    invalid: "この配信停止リンクは無効です。",
  },
} as const

const page = (lang: Language, body: string) => {
  const c = COPY[lang]
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(c.title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.6"><main><h1>${escapeHtml(c.title)}</h1>${body}</main></body></html>`
}

export const unsubscribeRoutes = (options: {
  readonly runtime: ServerRuntime
  readonly secret: string
  readonly logger: Logger
}): Router => {
  const router = Router()
  const resolve = async (token: string) => {
    const target = verifyUnsubscribeToken(options.secret, token)
    if (target === null) return null
    const found = await options.runtime.runPromise(unsubscribeTarget(target.workspaceId, target.contactId))
    return Option.isNone(found) ? null : { ...target, language: found.value.language }
  }
  const send = (res: Response, status: number, lang: Language, body: string) => {
    res.status(status)
    res.setHeader("Content-Type", "text/html; charset=utf-8")
    res.setHeader("Cache-Control", "no-store")
    res.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    res.send(page(lang, body))
  }
  const handle = (method: "GET" | "POST") => async (req: Request, res: Response) => {
    try {
      const token = String(req.params.token ?? "")
      const target = await resolve(token)
      if (target === null) return send(res, 404, "en", `<p>${escapeHtml(COPY.en.invalid)}</p>`)
      const c = COPY[target.language]
      if (method === "GET")
        return send(
          res,
          200,
          target.language,
          `<p>${escapeHtml(c.ask)}</p><form method="post"><button type="submit">${escapeHtml(c.button)}</button></form>`,
        )
      await options.runtime.runPromise(unsubscribeContact(target.workspaceId, target.contactId))
      options.logger.info({ workspaceId: target.workspaceId }, "a contact unsubscribed from notifications")
      return send(res, 200, target.language, `<p role="status">${escapeHtml(c.done)}</p>`)
    } catch (error) {
      // The one mapping every route uses (ErrorMapper.ts): a store that is down is a 503 as on /trpc.
      const mapped = toApiErrorUnknown(error)
      options.logger.error({ err: error }, "unsubscribe failed")
      if (!res.headersSent) res.status(httpStatusOf(mapped)).type("text/plain").send(mapped.message)
    }
  }
  router.get("/unsubscribe/:token", handle("GET"))
  router.post("/unsubscribe/:token", express.urlencoded({ extended: false, limit: "1kb" }), handle("POST"))
  return router
}
