/**
 * `auth`: sign-in and account pages (P-AUTH-1..4, P-AUTH-6, P-CON). The rules are core's
 * (usecases/SignIn.ts, usecases/Registration.ts); this router adds the edge's duties:
 * - the client address (ctx.ip: the socket's, or the trusted proxies') and the host's throttle
 *   limits for core's sign-in throttle (P-SEC-4: failures per account + address and per address;
 *   successes do not count; the account's failures only slow down); per-ip limits on
 *   registration and reset mails (all counted in the store);
 * - a fresh session token at every sign-in (an accepted invitation signs the customer in);
 * - registration answers `{ ok: true, signedIn: false }` whether the email is new, belongs to a
 *   contact without a login or already has a login, with no session and no contact change either
 *   way (the page then says "check your email"): the answer never tells whether an email has an
 *   account (P-AUTH-3, P-SEC-8); `completeRegistration` uses the emailed link's token once and
 *   signs the new member in;
 * - the same answer for every failed password sign-in (InvalidCredentials → one message), and
 *   "ok" for every reset request, whether or not the email has an account.
 * Agents sign in with `agentSignIn` (preview and admin, P-AUTH-7, P-SET-1); it works on a disabled
 * portal, which is how an admin sets it up.
 */
import {
  acceptInvitation,
  callerProfile,
  completeRegistration,
  register,
  requestPasswordReset,
  requestSignInLink,
  resetPassword,
  SignInThrottle,
  signInAgent,
  signInWithLink,
  signInWithPassword,
} from "@portal/core/usecases"
import { Effect } from "effect"
import { corePortal, portalCallerOf, rateLimit, signInThrottleOf } from "../Callers.ts"
import type { PortalContext, ResolvedPortal } from "../context.ts"
import {
  EmailInput,
  input,
  RegisterInput,
  SignInInput,
  SignInLinkInput,
  TokenInput,
  TokenPasswordInput,
} from "../Inputs.ts"
import { run } from "../Run.ts"
import { endSession, signInSession } from "../Sessions.ts"
import { portalProcedure, publicProcedure, router } from "../trpc.ts"

type Subject = { readonly type: "contact" | "agent"; readonly id: string }

/** Start a session for the subject and hand the cookie to the host. */
const startSessionFor = async (ctx: PortalContext, portal: ResolvedPortal, subject: Subject) => {
  const started = await run(
    ctx,
    signInSession(portal.workspaceId, subject, ctx.config.absoluteSessionHours, ctx.session?.token ?? null),
  )
  ctx.cookies.setSession(started.token, new Date(started.absoluteExpiresAt))
  return { signedIn: true as const, subject: { type: subject.type, id: subject.id } }
}

export const authRouter = router({
  signIn: portalProcedure.input(input(SignInInput)).mutation(async ({ ctx, input }) => {
    const { contactId } = await run(
      ctx,
      signInWithPassword(corePortal(ctx, ctx.portal), input.email, input.password, ctx.ip).pipe(
        Effect.provideService(SignInThrottle, signInThrottleOf(ctx.config)),
      ),
    )
    return startSessionFor(ctx, ctx.portal, { type: "contact", id: contactId })
  }),

  agentSignIn: portalProcedure.input(input(SignInInput)).mutation(async ({ ctx, input }) => {
    const { agentId } = await run(
      ctx,
      signInAgent(ctx.portal.workspaceId, input.email, input.password, ctx.ip).pipe(
        Effect.provideService(SignInThrottle, signInThrottleOf(ctx.config)),
      ),
    )
    return startSessionFor(ctx, ctx.portal, { type: "agent", id: agentId })
  }),

  /**
   * P-AUTH-3: the same answer for a new email, a contact without a login and one that already has
   * a login (core's RegistrationResult is dropped here on purpose); the customer then opens the
   * link mailed to them (`completeRegistration`).
   */
  register: portalProcedure.input(input(RegisterInput)).mutation(async ({ ctx, input }) => {
    await run(
      ctx,
      Effect.andThen(
        rateLimit(`api:register-ip:${ctx.ip}`, ctx.config.rateLimits.registerPerIp),
        register(corePortal(ctx, ctx.portal), input),
      ),
    )
    return { ok: true as const, signedIn: false as const }
  }),

  /** P-AUTH-3: the emailed registration link, used once: the login is created and signed in. */
  completeRegistration: portalProcedure.input(input(TokenInput)).mutation(async ({ ctx, input }) => {
    const { contactId } = await run(ctx, completeRegistration(corePortal(ctx, ctx.portal), input))
    return startSessionFor(ctx, ctx.portal, { type: "contact", id: contactId })
  }),

  acceptInvitation: portalProcedure.input(input(TokenPasswordInput)).mutation(async ({ ctx, input }) => {
    const { contactId } = await run(ctx, acceptInvitation(corePortal(ctx, ctx.portal), input))
    return startSessionFor(ctx, ctx.portal, { type: "contact", id: contactId })
  }),

  requestPasswordReset: portalProcedure.input(input(EmailInput)).mutation(async ({ ctx, input }) => {
    await run(
      ctx,
      Effect.andThen(
        rateLimit(`api:mail-ip:${ctx.ip}`, ctx.config.rateLimits.emailsPerIp),
        requestPasswordReset(corePortal(ctx, ctx.portal), input.email),
      ),
    )
    // Always the same answer: it never tells whether the email has an account.
    return { ok: true as const }
  }),

  /**
   * P-EXT-6: email a single-use sign-in link (15 minutes). The same answer and timing whatever the
   * email (P-SEC-8); limited per client address like reset mails, and per email in core.
   */
  requestSignInLink: portalProcedure.input(input(SignInLinkInput)).mutation(async ({ ctx, input }) => {
    await run(
      ctx,
      Effect.andThen(
        rateLimit(`api:mail-ip:${ctx.ip}`, ctx.config.rateLimits.emailsPerIp),
        requestSignInLink(corePortal(ctx, ctx.portal), input.email, input.next ?? null),
      ),
    )
    return { ok: true as const }
  }),

  /** P-EXT-6: use an emailed sign-in link once: the same session as a password sign-in. */
  signInWithLink: portalProcedure.input(input(TokenInput)).mutation(async ({ ctx, input }) => {
    const { contactId } = await run(ctx, signInWithLink(corePortal(ctx, ctx.portal), input.token))
    return startSessionFor(ctx, ctx.portal, { type: "contact", id: contactId })
  }),

  resetPassword: portalProcedure.input(input(TokenPasswordInput)).mutation(async ({ ctx, input }) => {
    await run(ctx, resetPassword(corePortal(ctx, ctx.portal), input))
    return { ok: true as const }
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.session !== null) await run(ctx, endSession(ctx.session.token))
    ctx.cookies.clearSession()
    return { signedOut: true as const }
  }),

  /** Who is signed in, or why the session ended ("idle": signed out after inactivity). */
  me: portalProcedure.query(async ({ ctx }) => {
    const session = ctx.session
    if (session === null) return { subject: null, sessionEnded: ctx.sessionEnded }
    const profile = await run(ctx, callerProfile(portalCallerOf(ctx)))
    const subject = session.subject
    return {
      subject: profile ?? {
        type: subject.type,
        id: subject.id,
        name: "",
        email: "",
        permissions: subject.type === "agent" ? subject.permissions : [],
      },
      sessionEnded: null,
      idleExpiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
    }
  }),
})
