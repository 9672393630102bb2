/** The whole API: one router, served at /trpc and called in-process by the SvelteKit pages. */
import { router } from "../trpc.ts"
import { adminRouter } from "./AdminRouter.ts"
import { agentRouter } from "./AgentRouter.ts"
import { authRouter } from "./AuthRouter.ts"
import { formRouter } from "./FormRouter.ts"
import { integrationRouter } from "./IntegrationRouter.ts"
import { portalRouter } from "./PortalRouter.ts"
import { ticketsRouter } from "./TicketsRouter.ts"

export const appRouter = router({
  portal: portalRouter,
  auth: authRouter,
  tickets: ticketsRouter,
  form: formRouter,
  admin: adminRouter,
  agent: agentRouter,
  integration: integrationRouter,
})

export type AppRouter = typeof appRouter
