// Chromium (Debian's, never downloaded) driven by playwright-core, and helpers the tests share.
import { mkdirSync } from "node:fs"
import { join } from "node:path"
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core"
import { inject } from "vitest"
import { CHROMIUM, demo, SCREENSHOTS } from "./env.ts"

export type Lang = "en" | "ja"

export const launch = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  })

/** The portal of a language: English is served on localhost, Japanese on 127.0.0.1. */
export const origin = (lang: Lang): string => `http://${demo[lang].host}:${inject("port")}`
export const url = (lang: Lang, path: string): string => `${origin(lang)}${path}`

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>

export interface ContextOptions {
  readonly javaScript?: boolean
  readonly storageState?: StorageState
  /** The browser's own time zone (the portal must not depend on it). */
  readonly timezoneId?: string
}

/** A desktop-sized context; `storageState` brings the cookies of an earlier sign-in. */
export const newContext = (browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> =>
  browser.newContext({
    viewport: { width: 1280, height: 800 },
    javaScriptEnabled: options.javaScript ?? true,
    locale: "en-US",
    ...(options.storageState ? { storageState: options.storageState } : {}),
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  })

/** Wait until the page is hydrated (JavaScript enhancements active); no-op without JavaScript. */
export const ready = async (page: Page) => {
  // SvelteKit's inline start script defines `__sveltekit_<hash>`; without JavaScript it never ran.
  const js = await page.evaluate(() => Object.keys(window).some((k) => k.startsWith("__sveltekit_")))
  if (js)
    await page
      .waitForFunction(() => document.documentElement.classList.contains("js"), undefined, { timeout: 10_000 })
      .catch(() => undefined)
}

export const signIn = async (page: Page, lang: Lang, email: string, password: string = demo.password) => {
  await page.goto(url(lang, "/account/sign-in"))
  await page.locator("#f-email").fill(email)
  await page.locator("#f-password").fill(password)
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/account/sign-in")),
    page.locator("form button[type=submit]").click(),
  ])
  await ready(page)
}

export const signInAgent = async (page: Page, lang: Lang) => {
  await page.goto(url(lang, "/admin/sign-in"))
  await page.locator("#f-email").fill(demo[lang].admin)
  await page.locator("#f-password").fill(demo.adminPassword)
  await Promise.all([page.waitForURL((u) => u.pathname === "/admin"), page.locator("form button[type=submit]").click()])
  await ready(page)
}

const sizes = [
  ["desktop", 1280, 800],
  ["phone", 390, 844],
] as const

/** Full-page screenshots at desktop and phone width into artifacts/screenshots/. */
export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const before = page.viewportSize()
  for (const [label, width, height] of sizes) {
    await page.setViewportSize({ width, height })
    await page.evaluate(() => document.fonts.ready)
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.${label}.png`), fullPage: true })
  }
  if (before) await page.setViewportSize(before)
}
