/**
 * `form`: the portal's support form (P-FORM-1..3). `get` returns the form to draw (menu text,
 * header text and fields) or null when the portal has none, or its form is not eligible any more
 * (P-FORM-2); `submit` creates exactly one ticket per idempotency key (core's submitForm).
 */
import { formIneligibility, submitForm, WorkspaceStore } from "@portal/core"
import { Effect, Option } from "effect"
import { customerCallerOf } from "../Callers.ts"
import type { PortalContext, ResolvedPortal } from "../context.ts"
import { FormSubmitInput, input } from "../Inputs.ts"
import { run } from "../Run.ts"
import { customerProcedure, router, viewerProcedure } from "../trpc.ts"

/** The support form as the page draws it, or null. */
export const supportFormOf = async (ctx: PortalContext, portal: ResolvedPortal) => {
  const configured = portal.settings.supportForm
  if (configured === null) return null
  const catalog = await run(
    ctx,
    WorkspaceStore.use((s) => s.catalog(portal.workspaceId)).pipe(Effect.map(Option.getOrNull)),
  )
  const form = catalog?.forms.find((f) => f.id === configured.formId)
  if (catalog === null || form === undefined) return null
  if (
    formIneligibility(
      form,
      catalog.inboxes.map((i) => i.id),
    ).length > 0
  )
    return null
  return {
    formId: form.id,
    name: form.name,
    menuText: configured.menuText,
    headerText: configured.headerText,
    fields: form.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      required: f.required,
      options: f.options ?? [],
    })),
  }
}

export const formRouter = router({
  get: viewerProcedure.query(({ ctx }) => supportFormOf(ctx, ctx.portal)),

  submit: customerProcedure.input(input(FormSubmitInput)).mutation(async ({ ctx, input }) => {
    const result = await run(ctx, submitForm(customerCallerOf(ctx), input))
    return { ticketId: result.ticketId, duplicate: result.duplicate }
  }),
})
