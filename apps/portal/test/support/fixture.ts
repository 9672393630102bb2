/**
 * One Chromium per test file, and a fresh context (cookies) per test. Files use
 * `describe.skipIf(skip)` so that a machine without Chromium skips them with the reason printed
 * by the global setup (CI fails there instead).
 */
import type { Browser, BrowserContext, Page } from "playwright-core"
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest"
import { type ContextOptions, type Lang, launch, newContext, ready, signIn, signInAgent, url } from "./browser.ts"

export const skip = inject("skip") !== null

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>

export const useBrowser = () => {
  let browser: Browser | undefined
  const contexts: BrowserContext[] = []
  const errors: string[] = []
  beforeAll(async () => {
    if (!skip) browser = await launch()
  })
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()))
    // A script error in any page fails the test that caused it.
    expect(errors.splice(0), "errors in the page's scripts").toEqual([])
  })
  afterAll(async () => {
    await browser?.close()
  })
  /** A new browser context (its own cookies) and page; closed after the test. */
  const open = async (options: ContextOptions = {}): Promise<Page> => {
    if (!browser) throw new Error("no browser")
    const context = await newContext(browser, options)
    contexts.push(context)
    const page = await context.newPage()
    page.on("pageerror", (error) => errors.push(error.message))
    // So does a script the Content-Security-Policy blocked (Chromium reports it on the console
    // only): a blocked start script would otherwise pass for a browser without JavaScript. A
    // blocked image is the policy doing its job (the branding preview shows any address typed).
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy directive:? ["']script-src/.test(message.text()))
        errors.push(message.text())
    })
    return page
  }

  // Core counts every password sign-in (10 per email per 15 minutes), so each customer signs in
  // once per file and later tests reuse the session cookie.
  const sessions = new Map<string, StorageState>()
  /** A page signed in as `email` (the demo password unless given) on the portal of `lang`, showing the ticket list. */
  const as = async (
    lang: Lang,
    email: string,
    options: { javaScript?: boolean; password?: string; timezoneId?: string } = {},
  ): Promise<Page> => {
    const key = `${lang}:${email}`
    const known = sessions.get(key)
    const browserOptions = {
      javaScript: options.javaScript ?? true,
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    }
    if (known) {
      const page = await open({ ...browserOptions, storageState: known })
      await page.goto(url(lang, "/"))
      await ready(page)
      return page
    }
    const page = await open(browserOptions)
    await signIn(page, lang, email, options.password)
    sessions.set(key, await page.context().storageState())
    return page
  }
  /** A page signed in as the demo admin agent of `lang`'s workspace, on /admin. */
  const asAdmin = async (lang: Lang): Promise<Page> => {
    const key = `${lang}:admin`
    const known = sessions.get(key)
    if (known) {
      const page = await open({ storageState: known })
      await page.goto(url(lang, "/admin"))
      await ready(page)
      return page
    }
    const page = await open()
    await signInAgent(page, lang)
    sessions.set(key, await page.context().storageState())
    return page
  }
  return { open, as, asAdmin }
}
