/**
 * Hole 12b (P-AUTH-1) through the real portal pages (the SvelteKit build mounted on the server, over
 * HTTP, forms posted as a browser posts them): an obvious password is refused with its own message
 * in the page's language, next to the password field, on the registration and reset pages.
 */
import { existsSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { REPO_ROOT } from "../src/Config.ts"
import type { Client } from "./support/Http.ts"
import { linkIn, startWorld, type World } from "./support/World.ts"

const HANDLER = join(REPO_ROOT, "apps", "portal", "build", "handler.js")

let world: World
beforeAll(async () => {
  world = await startWorld({ portalHandler: HANDLER })
})
afterAll(() => world.close())

/** POST a form as a browser does (same-origin, urlencoded); the page's HTML. */
const postForm = async (c: Client, path: string, fields: Record<string, string>) => {
  const res = await c.request(path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: `http://${c.host}:${c.port}`,
      accept: "text/html",
    },
    body: new URLSearchParams(fields).toString(),
  })
  return { status: res.status, html: res.text }
}

const register = (c: Client, password: string, email: string) =>
  postForm(c, "/account/register", { firstName: "Nora", lastName: "Test", email, password, consent: "yes" })

describe.skipIf(!existsSync(HANDLER))("P-AUTH-1 hole 12b: obvious passwords are refused in words, ja and en", () => {
  it("P-AUTH-1 registration (ja): a password containing the portal's name", async () => {
    const page = await register(world.client("127.0.0.1"), "さくら商事サポート2026", "nora@example.test")
    expect(page.status).toBe(400)
    expect(page.html).toContain("パスワードにポータル名を含めないでください。")
  })

  it("P-AUTH-1 registration (en): a password containing the email, and a common one", async () => {
    const withEmail = await register(world.client(), "nora.test@example.test!", "nora.test@example.test")
    expect(withEmail.status).toBe(400)
    expect(withEmail.html).toContain("Do not use your email address in your password.")
    const common = await register(world.client(), "Password2026!", "nora2@example.test")
    expect(common.status).toBe(400)
    expect(common.html).toContain("This password is too common and easy to guess. Choose another one.")
  })

  it("P-AUTH-1 password reset (ja and en): a common password, and the link still works after", async () => {
    for (const [host, email, message] of [
      ["localhost", "ken@globex.test", "This password is too common and easy to guess. Choose another one."],
      [
        "127.0.0.1",
        "yuki@globex.test",
        "よく使われていて推測されやすいパスワードです。別のパスワードを選んでください。",
      ],
    ] as const) {
      const c = world.client(host)
      expect((await c.mutate("auth.requestPasswordReset", { email })).status).toBe(200)
      const mail = await world.smtp.waitFor((m) => m.to === email && m.text.includes(`${host}:`))
      const link = linkIn(mail.text, "/account/reset-password")
      const token = link.searchParams.get("token") ?? ""
      const refused = await postForm(c, `/account/reset-password?token=${token}`, { token, password: "password1234" })
      expect(refused.status).toBe(400)
      expect(refused.html).toContain(message)
      const done = await postForm(c, `/account/reset-password?token=${token}`, {
        token,
        password: "a fresh long passphrase",
      })
      expect(done.status).toBe(303)
    }
  })
})
