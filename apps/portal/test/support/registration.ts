/**
 * P-AUTH-3 for tests that need a customer with a login made by self-registration: register over
 * the API, then use the link of the confirmation email (as its owner would) to create the login.
 */
import { expect } from "vitest"
import { type Lang, url } from "./browser.ts"
import { linkIn, waitForMail } from "./mailbox.ts"

export interface Registration {
  readonly email: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
}

export const registerWithEmailLink = async (lang: Lang, r: Registration): Promise<void> => {
  const post = (path: string, body: unknown) =>
    fetch(url(lang, `/trpc/${path}`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    })
  const registered = await post("auth.register", { ...r, consent: true })
  expect(registered.ok, await registered.text()).toBe(true)
  const mail = await waitForMail(r.email, (m) => m.text.includes("/account/verify?token="))
  const token = linkIn(mail, "/account/verify").searchParams.get("token")
  const completed = await post("auth.completeRegistration", { token })
  expect(completed.ok, await completed.text()).toBe(true)
}
