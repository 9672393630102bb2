/**
 * Changing a portal's settings for one test through the admin API (what the admin screens call),
 * as the demo admin, and putting them back afterwards.
 */
import type { Page } from "playwright-core"
import { type Lang, origin } from "./browser.ts"
import { mutate, query } from "./trpc.ts"

// biome-ignore lint/suspicious/noExplicitAny: the settings document as JSON
export type Settings = Record<string, any>
interface View {
  readonly settings: Settings
  readonly version: number
}

/** `page` must be signed in as an admin agent of `lang`'s workspace. */
export const adminApi = (page: Page, lang: Lang) => {
  const base = origin(lang)
  const get = () => query<View>(page.request, base, "admin.settings.get")
  const save = async (settings: Settings) => {
    const { version } = await get()
    return mutate<{ version: number }>(page.request, base, "admin.settings.update", { settings, version })
  }
  /** Apply `change` to the current settings, run `body`, then restore what was there. */
  const withSettings = async (change: (s: Settings) => Settings, body: () => Promise<void>) => {
    const before = (await get()).settings
    await save(change(structuredClone(before)))
    try {
      await body()
    } finally {
      await save(before)
    }
  }
  return { get, save, withSettings, request: page.request, base }
}
