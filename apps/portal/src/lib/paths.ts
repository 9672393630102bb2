/**
 * The system pages (P-AUTH-4) live under /account so that no portal slug (P-DOM-2) can collide
 * with them ("account" and "admin" are reserved slugs in core's settings validation). The
 * invitation and reset paths are the ones core writes into emails (usecases/Viewers.ts).
 */
export const paths = {
  signIn: "/account/sign-in",
  register: "/account/register",
  /** P-AUTH-3: the registration link of the email (core's VERIFY_REGISTRATION_PATH). */
  verify: "/account/verify",
  invitation: "/account/invitation",
  forgotPassword: "/account/forgot-password",
  resetPassword: "/account/reset-password",
  /** P-EXT-6: ask for a sign-in link by email (the sign-in page's second form posts here). */
  emailLink: "/account/email-link",
  /** P-EXT-6: the emailed link opens this page (core's SIGN_IN_LINK_PATH); it signs in on a POST only. */
  signInLink: "/account/sign-in-link",
  accessDenied: "/account/access-denied",
  signedOut: "/account/signed-out",
  sessionExpired: "/account/session-expired",
  signOut: "/account/sign-out",
  admin: "/admin",
  adminSignIn: "/admin/sign-in",
  /** The agent workspace (P-AGT-1): sign-in and the ticket list; `/agent/<ticketId>` one ticket. */
  agent: "/agent",
} as const

/** `path?next=<where to come back>`, leaving out a next of "/". */
export const withNext = (path: string, next: string): string =>
  next === "/" || next === "" ? path : `${path}?next=${encodeURIComponent(next)}`
